#!/usr/bin/env python3
# Copyright (c) 2026 The taskstore authors.
# Distributed under the Boost Software License, Version 1.0 (see LICENSE).
"""Renders scripts/bench's Google Benchmark JSON into a Markdown report.

    benchmarks/report.py RESULTS_JSON [COMPILE_COST_JSON] OUT_DIR [--command CMD] [--no-charts]

Writes OUT_DIR/report.md (machine, command, compile cost, one table per
workload, ratios against the baselines, targets), OUT_DIR/summary.md (a compact
table to paste into README.md), OUT_DIR/throughput.png and
OUT_DIR/vs_baselines.png (gnuplot), and copies the input JSON files into OUT_DIR.

Standard library only (python3-matplotlib conflicts with libboost1.81-dev);
charts need gnuplot (gnuplot-nox) and are skipped with a note without it.

Benchmark names: <workload>/<impl>/<backend>[/<arg>:<value>...][/real_time].
The median aggregate of each name is used (aggregates-only output); when a run
has no aggregates (one repetition) the median of its iterations is used.

Pairs (impl `paired`) run taskstore and its hand-written SOCI twin in every
iteration and report the counters `ratio` (of the median operation times
`taskstore_us` and `soci_us`) and `mean_ratio` (of the total times); the
≤ 1.10 targets take `ratio` from them when the run has them, and the ratio of
the two separate benchmarks' times otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# --- naming conventions -----------------------------------------------------

WORKLOADS = [  # report order
    ("create", "1. create task, one per transaction"),
    ("insert_many", "2. insert_many tasks"),
    ("get", "3. get task by id"),
    ("list_page", "4a. list a user's newest 50"),
    ("keyset_scan", "4b. keyset-page through 10,000"),
    ("transition", "5. state transition + event"),
    ("append_events", "6. append events"),
    ("claim_single", "7a. claim + complete, single claims"),
    ("claim_batch", "7b. claim + complete, batch claims and completes"),
    ("claim_batch_limited", "7c. the same under a tool limit and a per-user limit that never bind"),
    ("upsert_agent_run", "8. upsert agent runs"),
    ("worker_drain", "9a. worker runtime: drain 2,000 no-op tasks"),
    ("pickup_latency", "9b. worker runtime: queue() to the handler's start"),
]
IMPLS = [
    ("taskstore", "taskstore"),
    ("soci", "SOCI, hand-written"),
    ("soci_vector", "SOCI use(vector) bulk"),
    ("raw", "raw C API"),
    ("paired", "taskstore and SOCI in pairs"),
    ("push", "push wake-up, queued through the worker's handle"),
    ("push_other", "push wake-up, queued through another handle (as another process)"),
    ("poll", "polling only"),
]
PAIR_COUNTERS = ("ratio", "mean_ratio", "taskstore_us", "soci_us")
LATENCY_COUNTERS = ("p50_ms", "p99_ms", "max_ms")  # pickup_latency, over every iteration of a run
COUNTERS = PAIR_COUNTERS + LATENCY_COUNTERS
LATENCY_P99_TARGET_MS = 15.0  # PostgreSQL with push wake-up
POLL_MAX_MS = 1000.0  # worker_options::poll_max's default: the longest wait of a polling worker
WORKER_CEILING_TARGET = 0.8
BACKENDS = [  # column order
    ("sqlite_memory", "SQLite :memory:"),
    ("sqlite_file", "SQLite file"),
    ("sqlite_file_full", "SQLite file, sync FULL"),
    ("postgresql", "PostgreSQL"),
    ("mysql", "MariaDB"),
]
BACKEND_COLORS = {
    "sqlite_memory": "#9ecae1",
    "sqlite_file": "#4292c6",
    "sqlite_file_full": "#08519c",
    "postgresql": "#31a354",
    "mysql": "#e6550d",
}
EXTRA_COLORS = ["#756bb1", "#636363", "#dd1c77", "#8c6d31", "#17becf"]

COMPILE_TARGET_SECONDS = 20.0
COMPILE_TARGET_MB = 1536.0  # 1.5 GB, in the MiB /usr/bin/time -v reports
NOT_MEASURED = "not measured"
DASH = "—"

TIME_UNITS_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

workload_title = dict(WORKLOADS)
impl_title = dict(IMPLS)
backend_title = dict(BACKENDS)


# --- input ------------------------------------------------------------------


def num(text: str):
    """A numeric sort key for an argument value (numbers before words)."""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


@dataclass(frozen=True)
class Key:
    workload: str
    impl: str
    backend: str
    args: tuple  # ((name, value), ...) in the order of the name

    @property
    def args_text(self) -> str:
        return "/".join(f"{k}:{v}" if v is not None else k for k, v in self.args)

    def arg(self, name: str):
        for k, v in self.args:
            if k == name:
                return v
        return None


@dataclass
class Result:
    key: Key
    name: str
    real_ns: float | None = None
    items_per_second: float | None = None
    repetitions: int | None = None
    cv: float | None = None  # coefficient of variation of real time, from the cv aggregate
    error: str | None = None
    items_computed: bool = False  # items/s derived from a counter, not reported by the library
    counters: dict = field(default_factory=dict)  # the pair counters' medians
    ratio_cv: float | None = None  # coefficient of variation of a pair's ratio between repetitions


def parse_name(run_name: str) -> Key:
    parts = run_name.split("/")
    while len(parts) > 1 and parts[-1] in ("real_time", "process_time", "manual_time"):
        parts.pop()
    head, rest = parts[:3], parts[3:]
    while len(head) < 3:
        head.append("?")
    args = []
    for p in rest:
        if p.startswith("iterations:"):  # a fixed iteration count (Iterations()), not an argument
            continue
        if ":" in p:
            k, v = p.split(":", 1)
            args.append((k, v))
        else:
            args.append((p, None))
    return Key(head[0], head[1], head[2], tuple(args))


def entry_real_ns(e: dict) -> float | None:
    t = e.get("real_time")
    if not isinstance(t, (int, float)) or not math.isfinite(t):
        return None
    return float(t) * TIME_UNITS_NS.get(e.get("time_unit", "ns"), 1.0)


def entry_items(e: dict, real_ns: float | None):
    """items/s of an entry, and whether it had to be computed."""
    ips = e.get("items_per_second")
    if isinstance(ips, (int, float)) and ips > 0:
        return float(ips), False
    # A benchmark may report its items per iteration as a user counter instead.
    per_iter = e.get("items_per_iteration")
    if isinstance(per_iter, (int, float)) and per_iter > 0 and real_ns:
        return per_iter / (real_ns / 1e9), True
    return None, False


def load_results(path: Path):
    data = json.loads(path.read_text())
    context = data.get("context", {})
    by_name: dict[str, dict] = {}
    for e in data.get("benchmarks", []):
        name = e.get("run_name") or e.get("name", "")
        if e.get("run_type") == "aggregate":
            agg = e.get("aggregate_name", "")
            if not e.get("run_name") and name.endswith("_" + agg):
                name = name[: -len(agg) - 1]
            by_name.setdefault(name, {"aggregates": {}, "iterations": []})["aggregates"][agg] = e
        else:
            by_name.setdefault(name, {"aggregates": {}, "iterations": []})["iterations"].append(e)

    results: dict[Key, Result] = {}
    for name in sorted(by_name):
        group = by_name[name]
        key = parse_name(name)
        r = Result(key=key, name=name)
        median = group["aggregates"].get("median")
        errors = [e for e in group["iterations"] + list(group["aggregates"].values()) if e.get("error_occurred")]
        if median is not None and not median.get("error_occurred"):
            r.real_ns = entry_real_ns(median)
            r.items_per_second, r.items_computed = entry_items(median, r.real_ns)
            r.repetitions = median.get("repetitions")
            cv = group["aggregates"].get("cv")
            if cv is not None and isinstance(cv.get("real_time"), (int, float)):
                r.cv = float(cv["real_time"])
            if cv is not None and isinstance(cv.get("ratio"), (int, float)):
                r.ratio_cv = float(cv["ratio"])
            r.counters = {c: float(median[c]) for c in COUNTERS if isinstance(median.get(c), (int, float))}
        else:
            ok = [e for e in group["iterations"] if not e.get("error_occurred")]
            times = [t for t in (entry_real_ns(e) for e in ok) if t]
            if times:
                r.real_ns = statistics.median(times)
                items = [i for i, _ in (entry_items(e, entry_real_ns(e)) for e in ok) if i]
                if items:
                    r.items_per_second = statistics.median(items)
                    r.items_computed = any(entry_items(e, entry_real_ns(e))[1] for e in ok)
                r.repetitions = len(times)
                for c in COUNTERS:
                    values = [float(e[c]) for e in ok if isinstance(e.get(c), (int, float))]
                    if values:
                        r.counters[c] = statistics.median(values)
        if r.real_ns is None and errors:
            r.error = errors[0].get("error_message") or "error"
        if r.real_ns is None and r.error is None:
            continue
        if key in results:  # the same key spelled twice (e.g. with and without /real_time)
            continue
        results[key] = r
    return context, results


# --- formatting ---------------------------------------------------------------


def fmt_items(v: float | None) -> str:
    if v is None:
        return DASH
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


def fmt_time(ns: float | None) -> str:
    if ns is None:
        return DASH
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            v = ns / scale
            break
    else:
        unit, v = "ns", ns
    if v >= 100:
        return f"{v:,.0f} {unit}"
    if v >= 10:
        return f"{v:.1f} {unit}"
    return f"{v:.2f} {unit}"


def fmt_ratio(v: float | None) -> str:
    return DASH if v is None else f"{v:.2f}"


def md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    align = align or ["l"] + ["r"] * (len(header) - 1)
    sep = ["---:" if a == "r" else ":---:" if a == "c" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(sep) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def order_index(pairs, value):
    names = [p[0] for p in pairs]
    return (0, names.index(value), "") if value in names else (1, 0, value)


def args_sort_key(args: tuple):
    return tuple((k, num(v) if v is not None else (0, 0.0, "")) for k, v in args)


def workload_key(w: str):
    return order_index(WORKLOADS, w)


def impl_key(i: str):
    return order_index(IMPLS, i)


def backend_key(b: str):
    return order_index(BACKENDS, b)


def present_backends(results) -> list[str]:
    found = {k.backend for k in results}
    known = [b for b, _ in BACKENDS if b in found]
    return known + sorted(found - set(known))


# --- machine ------------------------------------------------------------------


def read_first(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine_lines(context: dict) -> list[str]:
    lines = []
    host = context.get("host_name", platform.node() or "?")
    cpus = context.get("num_cpus")
    mhz = context.get("mhz_per_cpu")
    build = context.get("library_build_type")
    run = [f"host `{host}`"]
    if cpus:
        run.append(f"{cpus} CPUs" + (f" at {mhz:,} MHz" if isinstance(mhz, (int, float)) else ""))
    caches = context.get("caches") or []
    if caches:
        cache_txt = []
        for c in sorted(caches, key=lambda c: (c.get("level", 0), c.get("type", ""))):
            size = c.get("size", 0)
            size_txt = f"{size // (1024 * 1024)} MiB" if size >= 1024 * 1024 else f"{size // 1024} KiB"
            t = c.get("type", "")
            t = "d" if t == "Data" else "i" if t == "Instruction" else ""
            cache_txt.append(f"L{c.get('level', '?')}{t} {size_txt}")
        run.append("caches " + ", ".join(cache_txt))
    if build:
        # Google Benchmark reports its own build type (Debian's package says
        # debug); taskstore_bench itself is built by the Release `bench` preset.
        run.append(f"taskstore_bench built Release (-O3); Google Benchmark library reports {build}")
    if context.get("cpu_scaling_enabled"):
        run.append("CPU frequency scaling enabled (figures may be noisier)")
    lines.append("Benchmark run: " + "; ".join(run) + ".")

    render = []
    try:
        uname = subprocess.run(["uname", "-sr"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        uname = f"{platform.system()} {platform.release()}"
    render.append(uname)
    model = read_first("/proc/cpuinfo", "model name")
    if model:
        render.append(" ".join(model.split()))
    mem = read_first("/proc/meminfo", "MemTotal")
    if mem:
        try:
            kib = int(mem.split()[0])
            render.append(f"{kib / (1024 * 1024):.1f} GiB RAM")
        except (ValueError, IndexError):
            pass
    where = "this machine" if host == platform.node() else f"the rendering machine `{platform.node()}`"
    lines.append(f"System ({where}): " + "; ".join(render) + ".")
    load = context.get("load_avg")
    if isinstance(load, list) and load:
        lines.append("Load average at start: " + ", ".join(f"{x:.2f}" for x in load) + ".")
    return lines


# --- ratios and targets ------------------------------------------------------------


@dataclass
class RatioKind:
    ident: str
    title: str
    workloads: tuple
    baseline: str
    measure: str  # "time": taskstore time / baseline time; "throughput": taskstore items/s / baseline items/s
    note: str = ""


RATIO_KINDS = [
    RatioKind("time_soci", "taskstore ÷ soci time", ("create", "get", "transition"), "soci", "time",
              "median real time per iteration; lower is better, 1.00 = as fast as hand-written SOCI"),
    RatioKind("tput_soci_vector", "taskstore ÷ soci_vector throughput", ("insert_many",), "soci_vector",
              "throughput", "items/s; higher is better"),
    RatioKind("tput_raw", "taskstore ÷ raw throughput", ("insert_many", "get", "claim_batch"), "raw", "throughput",
              "items/s; higher is better; raw = sqlite3 prepared loop, libpq COPY, MariaDB multi-row INSERT; "
              "for `claim_batch`, the same writes in the fewest statements each C API offers"),
    RatioKind("time_raw", "taskstore ÷ raw time", ("get",), "raw", "time",
              "median real time per iteration; lower is better"),
]


def ratio(results, key: Key, baseline: str, measure: str):
    """(value, derived) of taskstore against a baseline for one key; derived when
    a throughput ratio had to come from times (same items per iteration)."""
    t = results.get(key)
    b = results.get(Key(key.workload, baseline, key.backend, key.args))
    if not t or not b or t.real_ns is None or b.real_ns is None:
        return None, False
    if measure == "time":
        return t.real_ns / b.real_ns, False
    if t.items_per_second and b.items_per_second:
        return t.items_per_second / b.items_per_second, False
    return b.real_ns / t.real_ns, True


def ratio_rows(results, kind: RatioKind):
    """{(workload, args): {backend: (value, derived)}} for every taskstore key with a baseline."""
    out: dict[tuple, dict[str, tuple]] = {}
    for key in results:
        if key.impl != "taskstore" or key.workload not in kind.workloads:
            continue
        v, derived = ratio(results, key, kind.baseline, kind.measure)
        if v is not None:
            out.setdefault((key.workload, key.args), {})[key.backend] = (v, derived)
    return out


def largest_common_rows(results, workload: str, baseline: str, backend: str):
    """The key with the largest rows: argument measured for both taskstore and baseline."""
    best = None
    for key in results:
        if key.workload != workload or key.impl != "taskstore" or key.backend != backend:
            continue
        if Key(workload, baseline, backend, key.args) not in results:
            continue
        r = key.arg("rows")
        size = num(r)[1] if r is not None else -1.0
        cand = (size, args_sort_key(key.args), key)
        if best is None or cand[:2] > best[:2]:
            best = cand
    return best[2] if best else None


@dataclass
class Target:
    group: str  # short name used by the summary and the chart
    text: str
    backend: str | None
    measured: str = DASH
    status: str = NOT_MEASURED  # PASS, MISS, reported, not measured
    value: float | None = None
    threshold: float | None = None
    higher_is_better: bool = False
    detail: list = field(default_factory=list)


def judge(value, threshold, higher_is_better):
    if value is None:
        return NOT_MEASURED
    ok = value >= threshold if higher_is_better else value <= threshold
    return "PASS" if ok else "MISS"


def build_targets(results, compile_cost) -> list[Target]:
    targets: list[Target] = []
    backends_all = [b for b, _ in BACKENDS]

    # 1. create / get / transition within 10 % of hand-written SOCI on every backend.
    for w in ("create", "get", "transition"):
        for b in backends_all:
            t = Target(f"{w} ÷ soci time", f"`{w}`: taskstore ÷ soci time ≤ 1.10", b, threshold=1.10)
            key = Key(w, "taskstore", b, ())
            v = None
            if key not in results:  # the workload may carry arguments; take the first
                cands = sorted((k for k in results if k.workload == w and k.impl == "taskstore" and k.backend == b),
                               key=lambda k: args_sort_key(k.args))
                key = cands[0] if cands else key
            pair = results.get(Key(w, "paired", b, ()))
            if pair is not None and "ratio" in pair.counters:
                v = pair.counters["ratio"]
                t.measured = fmt_ratio(v) + " (pairs)"
            else:
                v, _ = ratio(results, key, "soci", "time")
                t.measured = fmt_ratio(v) + (f" ({key.args_text})" if key.args and v is not None else "")
            t.value, t.status = v, judge(v, 1.10, False)
            targets.append(t)

    # 2-4. insert_many throughput against SOCI use(vector) and the raw C API, largest common batch.
    for baseline, factor, backends in (("soci_vector", 5.0, ("postgresql", "mysql")),
                                       ("raw", 0.25, ("postgresql",)),
                                       ("raw", 0.5, ("sqlite_file", "sqlite_memory"))):
        for b in backends:
            t = Target(f"insert_many ÷ {baseline} throughput",
                       f"`insert_many`: taskstore ≥ {factor:g}× {baseline} items/s", b,
                       threshold=factor, higher_is_better=True)
            key = largest_common_rows(results, "insert_many", baseline, b)
            if key is not None:
                v, derived = ratio(results, key, baseline, "throughput")
                t.value, t.status = v, judge(v, factor, True)
                t.measured = f"{fmt_ratio(v)}×" + (f" ({key.args_text})" if key.args else "") + ("*" if derived else "")
            targets.append(t)

    # 5. get on in-memory SQLite within 2x the raw sqlite3 call.
    t = Target("get ÷ raw time", "`get`: taskstore ÷ raw time ≤ 2", "sqlite_memory", threshold=2.0)
    v, _ = ratio(results, Key("get", "taskstore", "sqlite_memory", ()), "raw", "time")
    t.value, t.status, t.measured = v, judge(v, 2.0, False), fmt_ratio(v)
    targets.append(t)

    # 6. claim_batch with 4 workers.
    for b, floor in (("postgresql", 5000.0), ("sqlite_file", 10000.0), ("sqlite_file_full", None)):
        text = f"`claim_batch` workers:4: taskstore ≥ {floor:,.0f} items/s" if floor else \
            "`claim_batch` workers:4: taskstore items/s"
        t = Target("claim_batch workers:4 items/s", text, b, threshold=floor, higher_is_better=True)
        cands = sorted((k for k in results if k.workload == "claim_batch" and k.impl == "taskstore"
                        and k.backend == b and k.arg("workers") == "4"),
                       key=lambda k: (len(k.args), args_sort_key(k.args)))
        r = results.get(cands[0]) if cands else None
        v = r.items_per_second if r else None
        t.value = v
        t.measured = fmt_items(v) + "/s" if v is not None else DASH
        # The raw C API's ceiling on the same workload, in the same run.
        raw = results.get(Key("claim_batch", "raw", b, cands[0].args)) if cands else None
        if v is not None and raw is not None and raw.items_per_second:
            t.measured += f" (raw C API {fmt_items(raw.items_per_second)}/s)"
        if floor is None:
            t.status = "reported" if v is not None else NOT_MEASURED
        else:
            t.status = judge(v, floor, True)
        targets.append(t)

    # 7. the worker runtime: pickup latency and throughput against the claim ceiling.
    t = Target("pickup p99, push", f"worker pickup with push wake-up: p99 ≤ {LATENCY_P99_TARGET_MS:g} ms",
               "postgresql", threshold=LATENCY_P99_TARGET_MS)
    r = results.get(Key("pickup_latency", "push_other", "postgresql", ()))
    if r is not None and "p99_ms" in r.counters:
        t.value = r.counters["p99_ms"]
        t.measured = f"{t.value:.2f} ms (queued by another handle, through NOTIFY)"
        t.status = judge(t.value, LATENCY_P99_TARGET_MS, False)
    targets.append(t)
    for b in backends_all:
        r = results.get(Key("pickup_latency", "poll", b, ()))
        if r is None:
            continue
        t = Target("pickup max, polling", f"worker pickup when polling: at most one poll interval ({POLL_MAX_MS:g} ms)",
                   b, threshold=POLL_MAX_MS)
        if "max_ms" in r.counters:
            t.value = r.counters["max_ms"]
            t.measured = f"{t.value:,.0f} ms"
            t.status = judge(t.value, POLL_MAX_MS, False)
        targets.append(t)
    for b in backends_all:
        r = results.get(Key("worker_drain", "taskstore", b, (("slots", "16"), ("prefetch", "48"))))
        ceiling, label = worker_ceiling(results, b)
        if r is None or ceiling is None or label != "raw C API":
            continue
        t = Target("worker ÷ ceiling", f"worker runtime (16 slots, prefetch 48) ≥ {WORKER_CEILING_TARGET:g}× the raw "
                   "claim ceiling", b, threshold=WORKER_CEILING_TARGET, higher_is_better=True)
        if r.items_per_second:
            t.value = r.items_per_second / ceiling.items_per_second
            t.measured = f"{t.value:.2f}× ({fmt_items(r.items_per_second)} of {fmt_items(ceiling.items_per_second)}/s)"
            t.status = judge(t.value, WORKER_CEILING_TARGET, True)
        targets.append(t)

    # 8. compile cost of benchmarks/compile_cost.cpp: header-only (the default), then with separate compilation.
    secs = compile_cost.get("seconds") if compile_cost else None
    mb = compile_cost.get("max_rss_mb") if compile_cost else None
    separate = (compile_cost or {}).get("separate") or {}
    for text, value in ((f"compile cost, header-only: ≤ {COMPILE_TARGET_SECONDS:g} s", secs),
                        (f"compile cost, separate compilation: ≤ {COMPILE_TARGET_SECONDS:g} s", separate.get("seconds"))):
        t = Target("compile time", text, None, threshold=COMPILE_TARGET_SECONDS)
        t.value, t.status = value, judge(value, COMPILE_TARGET_SECONDS, False)
        t.measured = f"{value:.1f} s" if value is not None else DASH
        targets.append(t)
    t = Target("compile memory", "compile cost: ≤ 1.5 GB peak memory", None, threshold=COMPILE_TARGET_MB)
    t.value, t.status = mb, judge(mb, COMPILE_TARGET_MB, False)
    t.measured = f"{mb:,.0f} MB" if mb is not None else DASH
    targets.append(t)
    return targets


def status_cell(s: str) -> str:
    return {"PASS": "**PASS**", "MISS": "**MISS**"}.get(s, s)


def target_summary(targets: list[Target]) -> list[tuple[str, str, str]]:
    """One line per target text: (text, measured per backend, overall status)."""
    out, seen = [], {}
    for t in targets:
        seen.setdefault(t.text, []).append(t)
    for text, ts in seen.items():
        measured = [t for t in ts if t.status != NOT_MEASURED]
        if not measured:
            overall = NOT_MEASURED
        elif all(t.status == "reported" for t in measured):
            overall = "reported"
        elif any(t.status == "MISS" for t in measured):
            overall = "MISS"
        else:
            overall = "PASS"
        if len(ts) > 1 or ts[0].backend:
            n_judged = [t for t in ts if t.status in ("PASS", "MISS")]
            if overall in ("PASS", "MISS") and len(n_judged) < len(ts):
                overall += f" ({len(n_judged)}/{len(ts)} backends measured)"
            values = "; ".join(f"{backend_title.get(t.backend, t.backend)} {t.measured}" for t in ts
                               if t.status != NOT_MEASURED)
        else:
            values = ts[0].measured
        out.append((text, values or DASH, overall))
    return out


# --- charts ---------------------------------------------------------------------


def gp_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def gnuplot_terminal(gnuplot: str) -> str:
    try:
        out = subprocess.run([gnuplot, "-e", "set terminal"], capture_output=True, text=True, timeout=30)
        text = out.stdout + out.stderr
    except (OSError, subprocess.SubprocessError):
        text = ""
    if "pngcairo" in text:
        return "pngcairo size 900,500 noenhanced font 'DejaVu Sans,9'"
    return "png size 900,500 small"


def bar_chart(gnuplot: str, terminal: str, out_png: Path, title: str, ylabel: str,
              clusters: list[str], series: list[tuple[str, str, list]], logscale: bool,
              markers: list[tuple[float, float, float]] | None = None, refline: float | None = None,
              value_labels: bool = False, rotate_xtics: bool = True) -> None:
    """Clustered vertical bars. series: (label, color, [value or None per cluster]).
    markers: (x_left, x_right, y) short horizontal lines (target thresholds).
    Draws nothing when there is no value to draw."""
    n = max(1, len(series))
    slot = 0.8 / n  # the cluster takes 0.8 of its unit
    values = [v for _, _, vs in series for v in vs if v is not None and v > 0]
    if not clusters or not values:
        return
    if logscale:
        base = 10 ** math.floor(math.log10(min(values)))
        top = 10 ** math.ceil(math.log10(max(values)) + 0.15)
    else:
        mv = max(values + [m[2] for m in (markers or [])] + ([refline] if refline else []))
        base, top = 0.0, mv * (1.25 if value_labels else 1.1)
    with tempfile.TemporaryDirectory(prefix="taskstore-report.") as tmp:
        dat = Path(tmp) / "data.dat"
        blocks = []
        for s_i, (_, _, vs) in enumerate(series):
            lines = [f"# series {s_i}"]
            for c_i, v in enumerate(vs):
                if v is None or v <= 0:
                    continue
                x = c_i - 0.4 + slot * (s_i + 0.5)
                label_y = max([v] + [m[2] for m in (markers or []) if m[0] <= x <= m[1]])
                lines.append(f"{x:.6f} {v:.9g} {x - slot * 0.45:.6f} {x + slot * 0.45:.6f} {base:.9g} {v:.9g} "
                             f"{label_y:.9g}")
            if len(lines) == 1:  # gnuplot rejects an empty block; keep an invisible point
                y0 = base if base > 0 else 1
                lines.append(f"-10 {y0:.9g} -10 -10 {y0:.9g} {y0:.9g} {y0:.9g}")
            blocks.append("\n".join(lines))
        marker_lines = ["# markers"] + [f"{x0:.6f} {y:.9g} {x1 - x0:.6f} 0" for x0, x1, y in (markers or [])]
        if len(marker_lines) == 1:
            marker_lines.append("-10 1 0 0")
        blocks.append("\n".join(marker_lines))
        dat.write_text("\n\n\n".join(blocks) + "\n")

        xtics = ", ".join(f"{gp_quote(c)} {i}" for i, c in enumerate(clusters))
        script = [
            f"set terminal {terminal}",
            f"set output {gp_quote(str(out_png))}",
            f"set title {gp_quote(title)}",
            f"set ylabel {gp_quote(ylabel)}",
            f"set xrange [-0.6:{len(clusters) - 0.4}]",
            f"set yrange [{base:.9g}:{top:.9g}]",
            f"set xtics ({xtics}) " + ("rotate by 30 right" if rotate_xtics else "center") + " nomirror scale 0",
            "set ytics nomirror",
            "set grid ytics lc rgb '#dddddd'",
            "set border 3",
            "set key outside right top vertical Left reverse samplen 1.5 width -5 spacing 1.2",
            "set style fill solid 0.9 border rgb '#333333'",
            f"set bmargin {7 if rotate_xtics else 4}",
        ]
        if logscale:
            script += ["set logscale y 10", "set format y '%.0s%c'"]
        else:
            script += ["set format y '%.1f'"]
        plots = []
        for s_i, (label, color, _) in enumerate(series):
            plots.append(f"{gp_quote(str(dat))} index {s_i} using 1:2:3:4:5:6 with boxxyerror "
                         f"lc rgb {gp_quote(color)} title {gp_quote(label)}")
        if value_labels:
            for s_i in range(len(series)):
                plots.append(f"{gp_quote(str(dat))} index {s_i} using 1:7:(sprintf('%.2f', $2)) with labels "
                             "rotate by 90 left offset 0,0.4 font ',7' notitle")
        if markers:
            plots.append(f"{gp_quote(str(dat))} index {len(series)} using 1:2:3:4 with vectors nohead "
                         "lw 2.5 lc rgb '#000000' title 'target'")
        if refline is not None:
            plots.append(f"{refline} with lines dt 2 lc rgb '#888888' title 'parity (1.0)'")
        script.append("plot " + ", \\\n     ".join(plots))
        gp = Path(tmp) / "chart.gp"
        gp.write_text("\n".join(script) + "\n")
        proc = subprocess.run([gnuplot, str(gp)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"gnuplot failed for {out_png.name}: {proc.stderr.strip()}")


def cluster_label(workload: str, args: tuple) -> str:
    a = Key(workload, "", "", args).args_text
    return f"{workload} {a}" if a else workload


def render_charts(results, targets, out_dir: Path) -> list[str]:
    """Writes the PNGs; returns notes for the report (empty when all went well)."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        return ["Charts not rendered: gnuplot not found (scripts/install-deps installs gnuplot-nox)."]
    terminal = gnuplot_terminal(gnuplot)
    backends = present_backends(results)
    colors = {}
    extra = iter(EXTRA_COLORS * 10)
    for b in backends:
        colors[b] = BACKEND_COLORS.get(b) or next(extra)
    notes = []

    # taskstore items/s per workload (+args), one bar per backend.
    groups = sorted({(k.workload, k.args) for k in results if k.impl == "taskstore"},
                    key=lambda g: (workload_key(g[0]), args_sort_key(g[1])))
    series = []
    for b in backends:
        vs = []
        for w, a in groups:
            r = results.get(Key(w, "taskstore", b, a))
            vs.append(r.items_per_second if r else None)
        series.append((backend_title.get(b, b), colors[b], vs))
    try:
        bar_chart(gnuplot, terminal, out_dir / "throughput.png", "taskstore throughput (median items/s, log scale)",
                  "items/s", [cluster_label(w, a) for w, a in groups], series, logscale=True)
    except RuntimeError as e:
        notes.append(str(e))

    # taskstore ÷ baseline ratios of the targets, one bar per backend, target marks.
    ratio_targets = [t for t in targets if t.backend and t.group.split(" ")[0] in ("create", "get", "transition",
                                                                                 "insert_many")]
    clusters = []
    for t in ratio_targets:
        if t.group not in clusters:
            clusters.append(t.group)
    series, markers = [], []
    n = max(1, len(backends))
    slot = 0.8 / n
    for s_i, b in enumerate(backends):
        vs = []
        for c_i, c in enumerate(clusters):
            hit = [t for t in ratio_targets if t.group == c and t.backend == b]
            vs.append(hit[0].value if hit and hit[0].value is not None else None)
            if hit and hit[0].threshold is not None:
                x = c_i - 0.4 + slot * (s_i + 0.5)
                markers.append((x - slot * 0.5, x + slot * 0.5, hit[0].threshold))
        series.append((backend_title.get(b, b), colors[b], vs))
    labels = []
    for c in clusters:
        words = c.split(" ")  # workload ÷ baseline measure
        labels.append("\n".join([words[0], " ".join(words[1:-1]), words[-1]]))
    try:
        bar_chart(gnuplot, terminal, out_dir / "vs_baselines.png",
                  "taskstore ÷ baseline: time ratios lower = better, throughput ratios higher = better; black marks = targets", "ratio", labels, series,
                  logscale=False, markers=markers, refline=1.0, value_labels=True, rotate_xtics=False)
    except RuntimeError as e:
        notes.append(str(e))
    return notes


# --- report ---------------------------------------------------------------------


def workload_section(results, workload: str, backends: list[str]) -> str:
    title = workload_title.get(workload, workload)
    keys = [k for k in results if k.workload == workload and k.impl != "paired"]
    rows_idx = sorted({(k.args, k.impl) for k in keys}, key=lambda r: (args_sort_key(r[0]), impl_key(r[1])))
    any_args = any(a for a, _ in rows_idx)
    header = ["implementation"] + (["arguments"] if any_args else []) + [backend_title.get(b, b) for b in backends]
    rows = []
    computed = False
    for args, impl in rows_idx:
        row = ["**taskstore**" if impl == "taskstore" else md_escape(impl_title.get(impl, impl))]
        if any_args:
            row.append(Key(workload, impl, "", args).args_text or DASH)
        for b in backends:
            r = results.get(Key(workload, impl, b, args))
            if r is None:
                row.append(DASH)
            elif r.real_ns is None:
                row.append(f"error: {md_escape(r.error or '')}")
            else:
                computed |= r.items_computed
                row.append(f"{fmt_items(r.items_per_second)}{'*' if r.items_computed else ''}"
                           f"<br><sub>{fmt_time(r.real_ns)}</sub>")
        rows.append(row)
    align = ["l"] + (["l"] if any_args else []) + ["r"] * len(backends)
    out = [f"### {md_escape(title)}", "", table(header, rows, align)]
    if computed:
        out += ["", "\\* items/s computed from the benchmark's `items_per_iteration` counter."]
    return "\n".join(out)


def worker_ceiling(results, backend: str):
    """(result, label) of the ceiling a worker's drain is held against: the raw
    C API's claim_batch with one worker where the run has it, else taskstore's."""
    for impl, label in (("raw", "raw C API"), ("taskstore", "taskstore claim_batch")):
        r = results.get(Key("claim_batch", impl, backend, (("workers", "1"),)))
        if r is not None and r.items_per_second:
            return r, label
    return None, None


def worker_section(results, backends: list[str]) -> str:
    out = []
    drains = sorted({k.args for k in results if k.workload == "worker_drain" and k.impl == "taskstore"},
                    key=args_sort_key)
    if drains:
        rows = []
        for args in drains:
            row = [Key("worker_drain", "", "", args).args_text]
            for b in backends:
                r = results.get(Key("worker_drain", "taskstore", b, args))
                ceiling, label = worker_ceiling(results, b)
                if r is None or r.items_per_second is None:
                    row.append(DASH)
                    continue
                cell = fmt_items(r.items_per_second)
                if ceiling is not None:
                    cell += f"<br><sub>{r.items_per_second / ceiling.items_per_second:.2f}× {label}</sub>"
                row.append(cell)
            rows.append(row)
        out += ["### Worker runtime: throughput against the claim ceiling", "",
                "A `taskstore::worker` drains the 2,000 queued tasks of workload 7b with a handler that returns at "
                "once; the ratio is to 7b's one-worker `claim_batch` + `complete_batch` in the same run, through the "
                "raw C API where the run has it (SQLite files, PostgreSQL), else through taskstore.", "",
                table(["worker"] + [backend_title.get(b, b) for b in backends], rows), ""]
    modes = sorted({k.impl for k in results if k.workload == "pickup_latency"}, key=impl_key)
    if modes:
        rows = []
        for impl in modes:
            row = [md_escape(impl_title.get(impl, impl))]
            for b in backends:
                r = results.get(Key("pickup_latency", impl, b, ()))
                c = r.counters if r else {}
                if r is None or not all(k in c for k in LATENCY_COUNTERS):
                    row.append(DASH if r is None or r.real_ns is not None else f"error: {md_escape(r.error or '')}")
                    continue
                row.append(f"{c['p50_ms']:.2f} / {c['p99_ms']:.2f} / {c['max_ms']:.1f}")
            rows.append(row)
        out += ["### Worker runtime: from queue() to the handler's start", "",
                "Milliseconds, p50 / p99 / max over every task of the run (one idle worker, one slot; a random idle "
                "gap before each task: up to 50 ms with push, up to 1.5 s with polling, whose wait grows from 50 ms "
                "to `poll_max`, 1 s). Across processes only PostgreSQL pushes (NOTIFY); elsewhere another "
                "process's task is found by polling.", "",
                table(["wake-up"] + [backend_title.get(b, b) for b in backends], rows), ""]
    return "\n".join(out).rstrip()


def ratios_section(results, backends: list[str]) -> str:
    out = ["## Ratios", "",
           "From this run's medians only, for every workload, arguments and backend measured for both sides."]
    for kind in RATIO_KINDS:
        rows_map = ratio_rows(results, kind)
        if not rows_map:
            continue
        derived = False
        rows = []
        for (w, a) in sorted(rows_map, key=lambda g: (workload_key(g[0]), args_sort_key(g[1]))):
            cells = []
            for b in backends:
                v = rows_map[(w, a)].get(b)
                if v is None:
                    cells.append(DASH)
                else:
                    derived |= v[1]
                    cells.append(fmt_ratio(v[0]) + ("*" if v[1] else ""))
            rows.append([f"`{cluster_label(w, a)}`"] + cells)
        out += ["", f"### {kind.title}", "", f"{kind.note}.", "",
                table(["workload"] + [backend_title.get(b, b) for b in backends], rows)]
        if derived:
            out += ["", "\\* from times (no items/s reported): baseline time ÷ taskstore time."]
    if len(out) == 3:
        out += ["", "No workload was measured for taskstore and a baseline on the same backend."]
    return "\n".join(out)


def pairs_section(results, backends: list[str]) -> str:
    """The pairs: taskstore and its hand-written twin timed in the same iterations."""
    workloads = sorted({k.workload for k in results if k.impl == "paired"}, key=workload_key)
    if not workloads:
        return ""
    rows = []
    for w in workloads:
        cells = []
        for b in backends:
            r = results.get(Key(w, "paired", b, ()))
            if r is None:
                cells.append(DASH)
            elif "ratio" not in r.counters:
                cells.append(f"error: {md_escape(r.error or 'no ratio counter')}")
            else:
                c = r.counters
                spread = f", cv {r.ratio_cv * 100:.1f} %" if r.ratio_cv is not None else ""
                means = f"; totals {fmt_ratio(c['mean_ratio'])}" if "mean_ratio" in c else ""
                cells.append(f"**{fmt_ratio(c['ratio'])}**<br><sub>{fmt_time(c.get('taskstore_us', 0) * 1e3)} ÷ "
                             f"{fmt_time(c.get('soci_us', 0) * 1e3)}{spread}{means}</sub>")
        rows.append([md_escape(workload_title.get(w, w))] + cells)
    return "\n".join([
        "## Pairs", "",
        "Each iteration runs taskstore's operation and the same operation written by hand against SOCI, back to "
        "back in alternating order, and times each, so that both see the same moment of a host whose speed drifts "
        "between repetitions. Cells: taskstore's median operation time ÷ SOCI's (the median over repetitions), "
        "below it the two medians, the ratio's coefficient of variation between repetitions, and the ratio of the "
        "total times. The ≤ 1.10 targets use the medians: on a SQLite file a commit now and then also checkpoints "
        "the WAL, I/O that both sides' writes caused but that lands on one side's operation by chance, which moves "
        "a ratio of totals by ±15 % or more from one repetition to the next.", "",
        table(["workload"] + [backend_title.get(b, b) for b in backends], rows)])


def targets_section(targets: list[Target]) -> str:
    rows = []
    for t in targets:
        rows.append([t.text, backend_title.get(t.backend, t.backend) if t.backend else DASH, t.measured,
                     status_cell(t.status)])
    out = ["## Targets", "", table(["target", "backend", "measured", "result"], rows, ["l", "l", "r", "l"])]
    if any(t.measured.endswith("*") for t in targets):
        out += ["", "\\* from times (no items/s reported): baseline time ÷ taskstore time."]
    out += ["", "`insert_many` ratios use the largest `rows:` measured for both sides on that backend."]
    return "\n".join(out)


def compile_section(compile_cost) -> str:
    out = ["## Compile cost", ""]
    if not compile_cost:
        return "\n".join(out + [f"{NOT_MEASURED.capitalize()}."])
    secs, mb = compile_cost.get("seconds"), compile_cost.get("max_rss_mb")
    s_ok = judge(secs, COMPILE_TARGET_SECONDS, False)
    m_ok = judge(mb, COMPILE_TARGET_MB, False)
    secs_txt = f"{secs:.1f} s" if secs is not None else DASH
    mb_txt = f"{mb:,.0f} MB" if mb is not None else DASH
    runs = compile_cost.get("runs") or []
    of_runs = f" (median of {len(runs)} compiles: {', '.join(f'{r:.1f}' for r in runs)} s)" if len(runs) > 1 else ""
    out.append(f"`benchmarks/compile_cost.cpp` (the umbrella header, every repository instantiated) at -O2: "
               f"**{secs_txt}** wall clock{of_runs} (target ≤ {COMPILE_TARGET_SECONDS:g} s: {s_ok}), "
               f"**{mb_txt}** peak memory (target ≤ 1.5 GB: {m_ok}).")
    parts = [p for p in compile_cost.get("parts") or [] if p.get("seconds") is not None]
    if parts and secs is not None:
        out += ["", "Where the time goes: the same command, compiling part of the TU "
                "(`-DTASKSTORE_COMPILE_COST_PROBE=0` and `=1`), medians of as many compiles:", ""]
        rows = [[p["part"], f"{p['seconds']:.1f} s", f"{p['max_rss_mb']:,.0f} MB"] for p in parts]
        rows.append(["every repository (the figure above)", f"{secs:.1f} s", mb_txt])
        out.append(table(["part", "time", "peak memory"], rows, ["l", "r", "r"]))
    pch = compile_cost.get("precompiled")
    if pch and pch.get("seconds") is not None:
        out += ["", f"With the umbrella header precompiled (what CMake's `target_precompile_headers` does; the "
                f"header itself precompiles once in {pch['header_seconds']:.1f} s): **{pch['seconds']:.1f} s**, "
                f"{pch['max_rss_mb']:,.0f} MB, the median of {len(pch.get('runs') or [])} compiles. Reported only: "
                "the target is the figure above."]
    sep = compile_cost.get("separate")
    if sep and sep.get("seconds") is not None:
        s_sep = judge(sep["seconds"], COMPILE_TARGET_SECONDS, False)
        out += ["", f"With separate compilation (`-DTASKSTORE_SEPARATE_COMPILATION`, the library's non-template code "
                f"compiled once per program by `<taskstore/src.hpp>`, in {sep['library_seconds']:.1f} s and "
                f"{sep['library_max_rss_mb']:,.0f} MB): **{sep['seconds']:.1f} s**, {sep['max_rss_mb']:,.0f} MB, the "
                f"median of {len(sep.get('runs') or [])} compiles (target ≤ {COMPILE_TARGET_SECONDS:g} s: {s_sep})."]
    if compile_cost.get("command"):
        out += ["", "```sh", compile_cost["command"], "```"]
    return "\n".join(out)


def legend() -> str:
    return "\n".join([
        "Implementations: **taskstore** the library; **SOCI, hand-written** the same statements written by hand "
        "against SOCI; **SOCI use(vector) bulk** SOCI's vector binding; **raw C API** the driver itself "
        "(SQLite: a prepared sqlite3 statement in a loop; PostgreSQL: libpq COPY; MariaDB: a multi-row INSERT).",
        "Backends: SQLite `:memory:`, SQLite file (WAL), SQLite file with `synchronous=FULL`, PostgreSQL and "
        "MariaDB servers with durable commits (fsync on), on loopback.",
        "Cells: median items/s, and below it the median real time per iteration.",
    ])


def write_report(context, results, compile_cost, targets, chart_notes, command: str, out_dir: Path) -> None:
    backends = present_backends(results)
    reps = sorted({r.repetitions for r in results.values() if r.repetitions})
    md = ["# taskstore benchmarks", ""]
    md += [f"- {line}" for line in machine_lines(context)]
    if context.get("date"):
        md.append(f"- Date: {context['date']}.")
    for where, workloads in context.get("later_runs", []):
        names = ", ".join(workload_title.get(w, w).split(" ", 1)[0].rstrip(".") + f" `{w}`" for w in workloads)
        md.append(f"- From a later run ({where}): {names}. Every ratio compares results of one run.")
    if reps:
        md.append(f"- Repetitions per benchmark: {', '.join(map(str, reps))} (medians shown).")
    md += ["", "Command:", "", "```sh", command, "```", ""]
    md += [compile_section(compile_cost), ""]
    md += ["## Throughput", "", legend(), ""]
    if chart_notes:
        md += [f"> {n}" for n in chart_notes] + [""]
    if (out_dir / "throughput.png").exists():
        md += ["![taskstore throughput per workload and backend](throughput.png)", ""]
    workloads = sorted({k.workload for k in results}, key=workload_key)
    if not workloads:
        md += ["No benchmark results.", ""]
    for w in workloads:
        if w != "pickup_latency":
            md += [workload_section(results, w, backends), ""]
    if worker := worker_section(results, backends):
        md += [worker, ""]
    md += [ratios_section(results, backends), ""]
    if pairs := pairs_section(results, backends):
        md += [pairs, ""]
    if (out_dir / "vs_baselines.png").exists():
        md += ["![taskstore against the baselines](vs_baselines.png)", ""]
    md += [targets_section(targets), ""]
    errors = sorted((r for r in results.values() if r.real_ns is None), key=lambda r: r.name)
    if errors:
        md += ["## Errors", ""] + [f"- `{r.name}`: {md_escape(r.error or 'error')}" for r in errors] + [""]
    (out_dir / "report.md").write_text("\n".join(md).rstrip() + "\n")


def write_summary(context, results, targets, out_dir: Path) -> None:
    backends = present_backends(results)
    groups = sorted({(k.workload, k.args) for k in results if k.impl == "taskstore"},
                    key=lambda g: (workload_key(g[0]), args_sort_key(g[1])))
    rows = []
    for w, a in groups:
        cells = []
        for b in backends:
            r = results.get(Key(w, "taskstore", b, a))
            cells.append(fmt_items(r.items_per_second) if r and r.real_ns is not None else DASH)
        label = workload_title.get(w, w)
        if a:
            label += f" ({Key(w, '', '', a).args_text})"
        rows.append([md_escape(label)] + cells)
    md = [f"taskstore, median items/s ({context.get('num_cpus', '?')} CPUs, {context.get('date', 'date unknown')}; "
          "servers on loopback with durable commits):", "",
          table(["workload"] + [backend_title.get(b, b) for b in backends], rows), "",
          table(["target", "measured", "result"],
                [[md_escape(t), v, s] for t, v, s in target_summary(targets)], ["l", "l", "l"]), "",
          "Full report, baselines and charts: [benchmarks/results/report.md](benchmarks/results/report.md)."]
    (out_dir / "summary.md").write_text("\n".join(md) + "\n")


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="Render taskstore benchmark results (Google Benchmark JSON).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="RESULTS_JSON [COMPILE_COST_JSON] OUT_DIR")
    p.add_argument("--command", help="the command that produced the results, shown in the report")
    p.add_argument("--no-charts", action="store_true", help="skip the gnuplot charts")
    p.add_argument("--also", action="append", default=[], metavar="JSON",
                   help="results of a later run of some workloads: each of its benchmarks replaces the one of the "
                        "same name, and the report says which workloads came from which run")
    a = p.parse_args(argv)
    if len(a.paths) not in (2, 3):
        p.error("expected RESULTS_JSON [COMPILE_COST_JSON] OUT_DIR")
    results_path = Path(a.paths[0])
    compile_path = Path(a.paths[1]) if len(a.paths) == 3 else None
    out_dir = Path(a.paths[-1])
    out_dir.mkdir(parents=True, exist_ok=True)

    context, results = load_results(results_path)
    context["later_runs"] = []
    for extra in a.also:
        extra_context, extra_results = load_results(Path(extra))
        results.update(extra_results)
        workloads = sorted({k.workload for k in extra_results}, key=workload_key)
        where = f"{extra_context.get('date', 'date unknown')}, {extra_context.get('num_cpus', '?')} CPUs"
        if isinstance(extra_context.get("mhz_per_cpu"), (int, float)):
            where += f" at {extra_context['mhz_per_cpu']:,} MHz"
        context["later_runs"].append((where, workloads))
    compile_cost = None
    if compile_path is not None:
        if compile_path.exists():
            compile_cost = json.loads(compile_path.read_text())
        else:
            print(f"report.py: {compile_path} not found; compile cost not measured", file=sys.stderr)

    # Copies of the inputs next to the report (unless they already are the copies).
    for src, name in ((results_path, "results.json"), (compile_path, "compile_cost.json")):
        if src is None or not src.exists():
            continue
        dst = out_dir / name
        if not (dst.exists() and os.path.samefile(src, dst)):
            shutil.copyfile(src, dst)

    targets = build_targets(results, compile_cost)
    for png in ("throughput.png", "vs_baselines.png"):
        (out_dir / png).unlink(missing_ok=True)  # never leave a stale chart next to a new report
    chart_notes = ["Charts skipped (--no-charts)."] if a.no_charts else render_charts(results, targets, out_dir)
    command = "\n".join(line.rstrip() for line in (a.command or context.get("executable", "taskstore_bench")).splitlines())
    write_report(context, results, compile_cost, targets, chart_notes, command, out_dir)
    write_summary(context, results, targets, out_dir)
    for note in chart_notes:
        print(f"report.py: {note}", file=sys.stderr)
    print(f"report.py: wrote {out_dir / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
