#!/usr/bin/env python3
"""Summarises async-profiler collapsed stacks: the frames with the most samples
on top of the stack (self) and anywhere in it (total), as shares of all samples.
usage: collapsed-top.py FILE [N]"""
import collections
import sys


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    self_count = collections.Counter()
    total_count = collections.Counter()
    samples = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            c = int(count)
            samples += c
            frames = stack.split(";")
            self_count[frames[-1]] += c
            for frame in set(frames):
                total_count[frame] += c
    if samples == 0:
        print("no samples")
        return
    print(f"{samples} samples")
    print(f"-- top {n} self")
    for frame, c in self_count.most_common(n):
        print(f"{100 * c / samples:6.2f} %  {frame}")
    print(f"-- top {n} total (inclusive)")
    for frame, c in total_count.most_common(n):
        print(f"{100 * c / samples:6.2f} %  {frame}")


if __name__ == "__main__":
    main()
