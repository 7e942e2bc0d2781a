#!/usr/bin/env python3
"""Summarises async-profiler collapsed stacks: the frames with the most samples
on top of the stack (self) and anywhere in it (total), as shares of all samples.
With stacks recorded per thread (async-profiler's `threads` option: the first
frame is `[name tid=N]`), it also sums the samples per thread group (digits in
names folded to N) and, per sample, who was running on top: the kernel, the
engine (io.tidegate), the JDK, the JVM itself (GC, JIT, interpreter), WildFly.
usage: collapsed-top.py FILE [N]"""
import collections
import re
import sys


def thread_group(frame):
    name = re.sub(r" tid=\d+\]$", "]", frame)
    return re.sub(r"\d+", "N", name)


def who(frames):
    """The owner of the sample: the innermost Java frame (kernel and native frames
    below it are charged to it); samples without a Java frame go by their thread."""
    for f in reversed(frames):
        if "/" not in f or f.endswith("_[k]"):
            continue
        if f.startswith("io/tidegate/"):
            return "engine (io.tidegate)"
        if re.match(r"(sun/nio|java/nio|sun/net|java/net)/", f):
            return "JDK net/nio"
        if re.match(r"(java|javax|jdk|sun)/", f):
            return "JDK other"
        if re.match(r"(org/jboss|org/wildfly|io/undertow|org/xnio|org/infinispan|org/jgroups|io/smallrye|org/apache)/", f):
            return "WildFly"
        return "other Java"
    t = thread_group(frames[0]) if frames[0].startswith("[") else ""
    if "Compiler" in t or "CompilerThre" in t:
        return "JVM JIT threads"
    if "GC" in t or t.startswith("[VM Thread"):
        return "JVM GC/VM thread"
    return "native, no Java frame"


def syscall(frames):
    """The system call a kernel sample belongs to (its __x64_sys_*, __sys_* or ksys_* frame)."""
    for f in frames:
        m = re.match(r"(?:__x64_sys_|__do_sys_|__se_sys_|__sys_|ksys_|do_(?!syscall))(\w+?)\d?_\[k\]$", f)
        if m:
            return m.group(1)
    if any(f.startswith("do_syscall_64") for f in frames):
        return "(syscall entry/exit)"
    return "(no syscall: interrupt, softirq, page fault)"


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    self_count = collections.Counter()
    total_count = collections.Counter()
    threads = collections.Counter()
    owners = collections.Counter()
    kernel = 0
    syscalls = collections.Counter()
    samples = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            c = int(count)
            samples += c
            frames = stack.split(";")
            if frames[0].startswith("[") and frames[0].endswith("]"):
                threads[thread_group(frames[0])] += c
            self_count[frames[-1]] += c
            if frames[-1].endswith("_[k]"):
                kernel += c
                syscalls[syscall(frames)] += c
            owners[who(frames)] += c
            for frame in set(frames):
                total_count[frame] += c
    if samples == 0:
        print("no samples")
        return
    print(f"{samples} samples, {100 * kernel / samples:.1f} % in the kernel (self)")
    if threads:
        print("-- per thread")
        for name, c in threads.most_common(15):
            print(f"{100 * c / samples:6.2f} %  {name}")
    print("-- whose code was running (innermost frame above kernel/libc)")
    for name, c in owners.most_common():
        print(f"{100 * c / samples:6.2f} %  {name}")
    print("-- kernel samples per system call (of all samples)")
    for name, c in syscalls.most_common(15):
        print(f"{100 * c / samples:6.2f} %  {name}")
    print(f"-- top {n} self")
    for frame, c in self_count.most_common(n):
        print(f"{100 * c / samples:6.2f} %  {frame}")
    print(f"-- top {n} total (inclusive)")
    for frame, c in total_count.most_common(n):
        print(f"{100 * c / samples:6.2f} %  {frame}")


if __name__ == "__main__":
    main()
