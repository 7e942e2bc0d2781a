#!/usr/bin/env python3
"""Turns `perf script` output (perf record -g) into collapsed stacks in the shape
async-profiler writes with its `threads` option, so lib/collapsed-top.py reads
both: `[comm tid=N];outermost;...;innermost COUNT`, kernel frames suffixed _[k].
usage: perf script -i FILE | perf-collapse.py > FILE.collapsed"""
import collections
import re
import sys


def main():
    stacks = collections.Counter()
    head, frames = None, []

    def flush():
        if head is not None and frames:
            stacks[";".join([head] + frames[::-1])] += 1

    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip():
            flush()
            head, frames = None, []
        elif not line[0].isspace():
            m = re.match(r"(.+?)\s+(\d+)(?:/(\d+))?\s", line)
            head = f"[{m.group(1)} tid={m.group(3) or m.group(2)}]" if m else "[?]"
        else:
            parts = line.strip().split(None, 1)
            sym = parts[1] if len(parts) > 1 else "[unknown]"
            dso = ""
            m = re.match(r"(.*) \((.*)\)$", sym)
            if m:
                sym, dso = m.group(1), m.group(2)
            sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
            if sym == "[unknown]" and dso:
                sym = f"[{dso.rsplit('/', 1)[-1]}]"
            if dso == "[kernel.kallsyms]":
                sym += "_[k]"
            frames.append(sym)
    flush()
    for stack, n in stacks.items():
        print(f"{stack} {n}")


if __name__ == "__main__":
    main()
