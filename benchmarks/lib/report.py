#!/usr/bin/env python3
"""Turns one benchmark run (meta.json, records.jsonl, checks.jsonl written by
benchmarks/run) into results/<timestamp>.json and .md, results/latest.md, and
the latest table inside benchmarks/README.md. Standard library only."""

import argparse
import json
import os
import statistics
import sys

PEER_NAMES = {
    "haproxy": "HAProxy",
    "nginx": "nginx",
    "wildfly": "WildFly reverse-proxy",
    "tidegate": "Tidegate",
}
RATIO_BASES = ["haproxy", "nginx", "wildfly"]
README_START = "<!-- latest-result:start -->"
README_END = "<!-- latest-result:end -->"


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def spread(values):
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
        "n": len(values),
    }


def summarize_cell(records):
    """Statistics of one peer in one scenario over its measured rounds."""
    na = [r["na"] for r in records if "na" in r]
    if na:
        return {"measured": False, "reason": na[0]}
    ok = [r for r in records if "wrk" in r]
    failed = [r["failed"] for r in records if "failed" in r]
    if not ok:
        reason = "wrk produced no result" + (f": {failed[0]}" if failed else "")
        return {"measured": False, "reason": reason}
    rps, p50, p99, cpu, per_cpu_s, load_busy, others = [], [], [], [], [], [], []
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}
    requests = bytes_ = accepts = 0
    accepts_known = True
    for r in ok:
        w = r["wrk"]
        secs = w["duration_us"] / 1e6
        rps.append(w["requests"] / secs)
        p50.append(w["latency_us"]["p50"] / 1000.0)
        p99.append(w["latency_us"]["p99"] / 1000.0)
        cpu_s = r["cpu_ticks"] / r["clk_tck"]
        cpu.append(100.0 * cpu_s / (r["wall_ns"] / 1e9))
        if cpu_s > 0:
            per_cpu_s.append(w["requests"] / cpu_s)
        if "load_cpu" in r and r["load_cpu"]["total"] > 0:
            load_busy.append(100.0 * r["load_cpu"]["busy"] / r["load_cpu"]["total"])
        if "proxy_cpu" in r and r["proxy_cpu"]["total"] > 0:
            whole = 100.0 * r["proxy_cpu"]["busy"] / r["proxy_cpu"]["total"]
            others.append(max(0.0, whole - cpu[-1]))
        for k in errors:
            errors[k] += w["errors"][k]
        requests += w["requests"]
        bytes_ += w["bytes"]
        if r["backend_accepts"] < 0:
            accepts_known = False
        accepts += max(r["backend_accepts"], 0)
    return {
        "measured": True,
        "runs": len(ok),
        "failed_runs": len(failed),
        "req_per_s": spread(rps),
        "latency_ms": {"p50_median": statistics.median(p50), "p99_median": statistics.median(p99),
                       "p99_max": max(p99)},
        "errors": errors,
        "errors_total": sum(errors.values()),
        "requests": requests,
        "bytes_per_response": bytes_ / requests if requests else 0,
        "proxy_cpu_percent": spread(cpu),
        "req_per_proxy_cpu_s": statistics.median(per_cpu_s) if per_cpu_s else None,
        # how busy the load side (wrk + backends) was: near 100 % means it, not the proxy, was the limit
        "load_cpu_busy_percent": statistics.median(load_busy) if load_busy else None,
        # CPU time other processes (builds, idle peers) took on the proxy's CPU during the run
        "others_on_proxy_cpu_percent": statistics.median(others) if others else None,
        "proxy_rss_mib_max": max(r["rss_kib"] for r in ok) / 1024.0,
        "backend_conns_per_1k_req": (1000.0 * accepts / requests) if (requests and accepts_known) else None,
    }


def build(meta, records, checks):
    measured = [r for r in records if r.get("phase") == "measured"]
    peers = meta["peer_order"].split()
    scenarios = list(meta["scenarios"].keys())
    table = {}
    for s in scenarios:
        table[s] = {}
        for p in peers:
            if not meta["peers"][p]["measured"]:
                table[s][p] = {"measured": False, "reason": "peer not measured (see above)",
                               "peer_reason": meta["peers"][p]["reason"]}
                continue
            table[s][p] = summarize_cell([r for r in measured if r["peer"] == p and r["scenario"] == s])
    ratios = {}
    for s in scenarios:
        ratios[s] = {}
        t = table[s].get("tidegate")
        for base in RATIO_BASES:
            b = table[s].get(base)
            key = f"tidegate/{base}"
            if not t or not t["measured"]:
                ratios[s][key] = None
            elif not b or not b["measured"]:
                ratios[s][key] = None
            else:
                ratios[s][key] = {
                    "req_per_s": t["req_per_s"]["median"] / b["req_per_s"]["median"],
                    "p99": t["latency_ms"]["p99_median"] / b["latency_ms"]["p99_median"]
                    if b["latency_ms"]["p99_median"] else None,
                    "req_per_proxy_cpu_s": (t["req_per_proxy_cpu_s"] / b["req_per_proxy_cpu_s"])
                    if t["req_per_proxy_cpu_s"] and b["req_per_proxy_cpu_s"] else None,
                }
    return {"meta": meta, "checks": checks, "results": table, "ratios": ratios, "raw": records}


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}"


def markdown(doc):
    meta = doc["meta"]
    o = meta["options"]
    m = meta["machine"]
    peers = meta["peer_order"].split()
    out = []
    out.append(f"# Benchmark run {meta['timestamp']}")
    out.append("")
    if meta.get("note"):
        out.append(f"> **{meta['note']}**")
        out.append("")
    mode = "quick smoke run" if meta.get("quick") else "full run"
    out.append(f"- {mode}: warm-up {o['warmup_s']} s per peer (discarded), measured runs of "
               f"{o['duration_s']} s x {o['rounds']} rounds, interleaved peer by peer; wrk 1 thread")
    out.append(f"- proxy under test pinned to CPU {o['proxy_cpu']}; wrk and backends (nginx, 1 worker) "
               f"on CPU {o['load_cpu']}; {m['nproc']} CPUs; load average {m['loadavg_start']} at start, "
               f"{m['loadavg_end']} at end")
    out.append(f"- kernel {m['kernel']}, wrk {m['wrk']}, {m['java']}, repository at {meta['git']}")
    for p in peers:
        info = meta["peers"][p]
        if info["measured"]:
            out.append(f"- **{PEER_NAMES[p]}**: {info['label']}")
        else:
            out.append(f"- **{PEER_NAMES[p]}: not measured** ({info['reason']})")
    out.append("")
    out.append("Columns: req/s median over rounds (min-max); latency p50/p99 in ms (median over rounds); "
               "errors = socket errors + timeouts + responses >= 400, summed; proxy CPU = utime+stime of the "
               "proxy's process tree / wall time (100 % = one core); RSS at the end of the run (max); "
               "req/CPU-s = requests per second of proxy CPU; srv conns/1k = connections the backends "
               "accepted per 1000 requests (about 0 with keep-alive to the servers, 1000 with a new one per request); "
               "load CPU % = how busy the CPU of wrk and the backends was (near 100 %: the load side was the limit); "
               "others % = CPU that other processes took on the proxy's CPU during the run (noise).")
    out.append("")
    for s, sdef in meta["scenarios"].items():
        out.append(f"### {s}: {sdef['title']}")
        out.append("")
        out.append("| peer | req/s | min-max | p50 ms | p99 ms | errors | proxy CPU % | RSS MiB | req/CPU-s "
                   "| srv conns/1k | bytes/resp | load CPU % | others % |")
        out.append("|---|" + "---:|" * 12)
        for p in peers:
            c = doc["results"][s][p]
            if not c["measured"]:
                out.append(f"| {PEER_NAMES[p]} | not measured | {c['reason']} |" + " |" * 10)
                continue
            r = c["req_per_s"]
            out.append("| {} | {} | {}-{} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                PEER_NAMES[p], fmt(r["median"]), fmt(r["min"]), fmt(r["max"]),
                fmt(c["latency_ms"]["p50_median"], 2), fmt(c["latency_ms"]["p99_median"], 2),
                c["errors_total"], fmt(c["proxy_cpu_percent"]["median"]), fmt(c["proxy_rss_mib_max"]),
                fmt(c["req_per_proxy_cpu_s"]), fmt(c["backend_conns_per_1k_req"], 1),
                fmt(c["bytes_per_response"]), fmt(c["load_cpu_busy_percent"]),
                fmt(c["others_on_proxy_cpu_percent"])))
        out.append("")
    out.append("### Ratios Tidegate / peer (req/s medians of this run; p99 ratio in brackets, lower is better)")
    out.append("")
    out.append("| scenario | " + " | ".join(f"Tidegate/{PEER_NAMES[b]}" for b in RATIO_BASES) + " |")
    out.append("|---|" + "---:|" * len(RATIO_BASES))
    tidegate_measured = meta["peers"].get("tidegate", {}).get("measured", False)
    for s in meta["scenarios"]:
        cells = []
        for b in RATIO_BASES:
            v = doc["ratios"][s][f"tidegate/{b}"]
            if v is not None:
                cells.append(f"{v['req_per_s']:.2f} ({fmt(v['p99'], 2)})")
            elif not tidegate_measured:
                cells.append("not measured")
            else:
                cells.append("n/a")
        out.append(f"| {s} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("### Sanity checks (before measuring)")
    out.append("")
    if doc["checks"]:
        out.append("| peer | check | result | detail |")
        out.append("|---|---|---|---|")
        for c in doc["checks"]:
            out.append(f"| {PEER_NAMES[c['peer']]} | {c['check']} | {'ok' if c['ok'] else '**FAILED**'} | "
                       f"{c['detail'].replace('|', '/')} |")
    else:
        out.append("none ran")
    out.append("")
    return "\n".join(out)


def update_readme(path, md_name, md):
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if README_START not in text or README_END not in text:
        print(f"report: {path} has no {README_START} marker; not updated", file=sys.stderr)
        return
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    body = "#" + md if md.startswith("# ") else md  # the title becomes a section of the README
    block = f"{README_START}\n_From [results/{md_name}](results/{md_name}); regenerated by `benchmarks/run`._\n\n{body}\n{README_END}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + block + tail)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meta", required=True)
    ap.add_argument("--records", required=True)
    ap.add_argument("--checks", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--readme")
    a = ap.parse_args()
    with open(a.meta, encoding="utf-8") as f:
        meta = json.load(f)
    doc = build(meta, read_jsonl(a.records), read_jsonl(a.checks))
    stamp = meta["timestamp"]
    os.makedirs(a.results, exist_ok=True)
    with open(os.path.join(a.results, f"{stamp}.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    md = markdown(doc)
    for name in (f"{stamp}.md", "latest.md"):
        with open(os.path.join(a.results, name), "w", encoding="utf-8") as f:
            f.write(md)
    if a.readme:
        update_readme(a.readme, f"{stamp}.md", md)
    print(md)


if __name__ == "__main__":
    main()
