#!/usr/bin/env python3
"""Prints Markdown tables from understanding_bench's JSON output.

  bench/table.py build-bench/understanding.json [build-bench/understanding_threads.json]

Figures are the median CPU time per message over the repetitions (the
benchmark's `cpu_time`: one iteration is one message). Ratios are of those
medians. Exits with status 0 whatever the figures say; bench/run decides.
"""
import json
import re
import sys

ENGINES = ["pipeline", "patternset", "re2_loop", "std_regex", "pcre2_jit",
           "hyperscan"]
CANDIDATES = ["pipeline_fastnorm", "filtered_re2", "sharded64"]
SETS = ["real", "syn1000", "syn5000"]
SIZES = ["short", "typical", "long"]
MODES = ["fresh", "hot"]
STAGES = ["normalize", "normalize_fast", "screen", "match", "converse"]
BUDGETS = ["8", "64", "256", "1024"]


def base_name(name):
    """engine/fresh/x/y/z/min_time:0.050_median -> engine/fresh/x/y/z"""
    name = re.sub(r"_(mean|median|stddev|cv)$", "", name)
    return "/".join(p for p in name.split("/") if ":" not in p)


def load(paths):
    medians, errors, context = {}, {}, {}
    for path in paths:
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            print(f"table.py: cannot read {path}: {e}", file=sys.stderr)
            continue
        context = context or data.get("context", {})
        single = {}
        for b in data.get("benchmarks", []):
            key = base_name(b.get("run_name", b["name"]))
            if "threads" in b and b.get("threads", 1) > 1:
                key += f"@{b['threads']}"
            elif key.startswith("threads/"):
                key += "@1"
            if b.get("error_occurred"):
                errors[key] = b.get("error_message", "error")
                continue
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") == "median":
                    medians[key] = b
            else:
                single.setdefault(key, []).append(b)
        for key, runs in single.items():  # no repetitions: take the middle run
            if key not in medians:
                runs.sort(key=lambda r: r["cpu_time"])
                medians[key] = runs[len(runs) // 2]
    return medians, errors, context


def ns(b):
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    return b["cpu_time"] * scale


def fmt(v):
    if v is None:
        return "–"
    if v < 1e3:
        return f"{v:.0f} ns"
    if v < 1e6:
        return f"{v / 1e3:.3g} µs"
    if v < 1e9:
        return f"{v / 1e6:.3g} ms"
    return f"{v / 1e9:.3g} s"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"{r:.3g}×"


class Results:
    def __init__(self, medians, errors):
        self.medians, self.errors = medians, errors

    def get(self, key):
        b = self.medians.get(key)
        return ns(b) if b else None

    def cell(self, key):
        if key in self.errors:
            return "ERR"
        return fmt(self.get(key))

    def engine(self, mode, engine, rules, size):
        return f"engine/{mode}/{engine}/{rules}/{size}"


def engines_table(r, mode, engines, ratios):
    head = ["rules", "message"] + engines + [name for name, _, _ in ratios]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for rules in SETS:
        for size in SIZES:
            row = [rules, size]
            for e in engines:
                row.append(r.cell(r.engine(mode, e, rules, size)))
            for _, num, den in ratios:
                row.append(ratio(r.get(r.engine(mode, num, rules, size)),
                                 r.get(r.engine(mode, den, rules, size))))
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    medians, errors, context = load(argv[1:])
    r = Results(medians, errors)
    out = []
    if context:
        out.append(f"Machine: {context.get('num_cpus')} CPUs at "
                   f"{context.get('mhz_per_cpu')} MHz, load average "
                   f"{', '.join(f'{x:.2f}' for x in context.get('load_avg', []))}"
                   f" at start; {context.get('date', '')}.\n")
    main_ratios = [("RE2 loop ÷ set", "re2_loop", "patternset"),
                   ("set ÷ Hyperscan", "patternset", "hyperscan"),
                   ("RE2 loop ÷ pipeline", "re2_loop", "pipeline"),
                   ("pipeline ÷ Hyperscan", "pipeline", "hyperscan")]
    for mode in MODES:
        what = ("fresh messages (each one new to the engine)" if mode == "fresh"
                else "hot messages (the hand-written pool, rotating)")
        out.append(f"### Time per message, {what}\n")
        out.append("`pipeline` = Normalize + CrisisScreen + Matcher from raw "
                   "text; the other columns match the normalised text against "
                   "all the rules. Ratios: above 1 means the first is slower.\n")
        out.append(engines_table(r, mode, ENGINES, main_ratios) + "\n")
    for mode in MODES:
        out.append(f"### Candidate designs, {mode} messages\n")
        out.append(engines_table(
            r, mode, ["pipeline", "pipeline_fastnorm", "patternset",
                      "filtered_re2", "sharded64", "hyperscan"],
            [("pipeline ÷ fastnorm", "pipeline", "pipeline_fastnorm"),
             ("set ÷ filtered", "patternset", "filtered_re2")]) + "\n")

    out.append("### Stages on the real intents\n")
    head = ["message", "mode"] + STAGES
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for size in SIZES:
        for mode in MODES:
            lines.append("| " + " | ".join(
                [size, mode] + [r.cell(f"stage/{mode}/{s}/real/{size}")
                                for s in STAGES]) + " |")
    out.append("\n".join(lines) + "\n")

    out.append("### PatternSet by max_mem (MiB)\n")
    head = ["rules", "message", "mode"] + [f"{b} MiB" for b in BUDGETS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rules in SETS:
        for size in ["typical", "long"]:
            for mode in MODES:
                lines.append("| " + " | ".join(
                    [rules, size, mode] +
                    [r.cell(f"maxmem/{mode}/{rules}/{size}/{b}")
                     for b in BUDGETS]) + " |")
    out.append("\n".join(lines) + "\n")

    thread_keys = sorted({k.rsplit("@", 1)[0] for k in medians
                          if k.startswith("threads/")})
    if thread_keys:
        out.append("### Threads (typical messages, hot, shared state; "
                   "messages per second, all threads together)\n")
        lines = ["| benchmark | 1 thread | 2 threads | scaling |",
                 "|---|---|---|---|"]
        for k in thread_keys:
            one = medians.get(k + "@1", {}).get("items_per_second")
            two = medians.get(k + "@2", {}).get("items_per_second")
            lines.append(f"| {k} | {one or 0:,.0f} | {two or 0:,.0f} | "
                         f"{(two / one) if one and two else 0:.2f}× |")
        out.append("\n".join(lines) + "\n")

    out.append("### Targets (2-core machine)\n")
    lines = ["| target | fresh | hot |", "|---|---|---|"]

    def verdict(value, ok, shown):
        if value is None:
            return "not run"
        return f"{'met' if ok(value) else 'MISSED'} ({shown(value)})"

    def both(fn):
        return [fn(m) for m in MODES]

    rows = [
        ("typical message, real intents, normalise + screen + match ≤ 2 µs",
         lambda m: verdict(r.get(r.engine(m, "pipeline", "real", "typical")),
                           lambda v: v <= 2000, fmt)),
        ("typical message, 1,000 synthetic patterns, normalise + screen + match ≤ 3 µs",
         lambda m: verdict(r.get(r.engine(m, "pipeline", "syn1000", "typical")),
                           lambda v: v <= 3000, fmt)),
    ]
    for engine in ["patternset", "pipeline"]:
        rows.append((f"1,000 patterns, typical: {engine} within 3× of Hyperscan",
                     lambda m, e=engine: verdict(
                         _div(r.get(r.engine(m, e, "syn1000", "typical")),
                              r.get(r.engine(m, "hyperscan", "syn1000", "typical"))),
                         lambda v: v <= 3, lambda v: f"{v:.3g}×")))
        rows.append((f"1,000 patterns, typical: {engine} ≥ 20× faster than the RE2 loop",
                     lambda m, e=engine: verdict(
                         _div(r.get(r.engine(m, "re2_loop", "syn1000", "typical")),
                              r.get(r.engine(m, e, "syn1000", "typical"))),
                         lambda v: v >= 20, lambda v: f"{v:.3g}× faster")))
    for name, fn in rows:
        lines.append(f"| {name} | " + " | ".join(both(fn)) + " |")
    cliff = errors.get("cliff_check")
    lines.append("| no cliff (cliff_check) | " +
                 ("MISSED: " + cliff if cliff else
                  ("met" if "cliff_check" in medians else "not run")) + " | |")
    out.append("\n".join(lines) + "\n")

    if errors:
        out.append("### Errors\n")
        for k, v in sorted(errors.items()):
            out.append(f"- `{k}`: {v}")
        out.append("")
    print("\n".join(out))
    return 0


def _div(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


if __name__ == "__main__":
    sys.exit(main(sys.argv))
