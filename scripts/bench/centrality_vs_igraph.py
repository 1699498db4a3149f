#!/usr/bin/python3
"""Quick comparison of coopgraph's centrality with python-igraph's on the
real CORDIS Horizon 2020 participation graph (or a country subset of it).

Run from the repository root with Debian's interpreter (python3-igraph 0.10):

    /usr/bin/python3 scripts/bench/centrality_vs_igraph.py
    /usr/bin/python3 scripts/bench/centrality_vs_igraph.py --country PL --country CZ --repeat 3
    /usr/bin/python3 scripts/bench/centrality_vs_igraph.py --measures pagerank,closeness --keep /tmp/cordis

It

  1. turns data/cordis-h2020/participations.csv.gz into a
     coopgraph CSV dataset (nodes.csv, edges.csv) in a temporary directory
     (or --keep DIR): one Project entity per project (proj:<rcn>), one
     Organisation per PIC (org:<pic>), one PARTICIPATES_IN relation per
     participation, organisation -> project; with --country, only the
     participations of organisations of those countries;
  2. builds the same simple graph in igraph, vertices in coopgraph's node
     order (sorted ids), and times igraph's defaults: g.betweenness(),
     g.closeness(), g.pagerank() (PRPACK), g.harmonic_centrality(); igraph
     runs them on one thread;
  3. runs the Go benchmark BenchmarkDatasetCentrality
     (graph/centrality_dataset_test.go), which loads the same directory
     with loader.LoadDir and times the engine's measures on all cores,
     without Centrality's cache;
  4. has the Go test TestDatasetScores write the engine's scores, and
     compares them with igraph's, converted to networkx's conventions:
     betweenness, igraph counts unordered pairs and does not normalise
     (x 2/((n-1)(n-2))); closeness, igraph leaves out networkx's
     Wasserman-Faust factor (r-1)/(n-1) for a component of r nodes;
     harmonic, unnormalised on both sides; PageRank, igraph's PRPACK
     solves to ~1e-10 where networkx's power iteration stops at an L1
     change of n*1e-6, so they agree to ~1e-6 only — the engine's
     "pagerank-1e-10" runs the same iteration to an L1 change of 1e-10, the
     comparison at equal tolerance.

Times are seconds, the best of --repeat runs: igraph's wall-clock and CPU
time, the engine's wall-clock on GOMAXPROCS cores. The ratio divides the
smaller of igraph's two times by the engine's: igraph runs betweenness,
closeness and harmonic on one thread, where its CPU time is the fairer
figure on a busy machine, and PRPACK's PageRank on several (OpenMP),
where its wall-clock time is.
"""

import argparse
import csv
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time

import igraph

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "cordis-h2020", "participations.csv.gz")

# measure -> (igraph call, engine benchmarks compared with it)
IGRAPH = {
    "betweenness": (lambda g: g.betweenness(), ["betweenness"]),
    "closeness": (lambda g: g.closeness(), ["closeness"]),
    "pagerank": (lambda g: g.pagerank(), ["pagerank", "pagerank-1e-10"]),
    "harmonic": (lambda g: g.harmonic_centrality(normalized=False), ["harmonic"]),
}


def read_participations(path, countries):
    rows = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            if countries and rec["country"] not in countries:
                continue
            rows.append(rec)
    return rows


def write_dataset(rows, out):
    """Writes nodes.csv and edges.csv; returns (sorted ids, edges as id pairs)."""
    projects, orgs = {}, {}
    edges = []
    for r in rows:
        p, o = "proj:" + r["project_id"], "org:" + r["org_id"]
        projects.setdefault(p, "H2020 project RCN " + r["project_id"])
        name = r["org_name"].strip() or ("PIC " + r["org_id"])
        if o not in orgs or orgs[o][0].startswith("PIC "):
            orgs[o] = (name, r["country"])
        edges.append((o, p, r["role"]))
    with open(os.path.join(out, "nodes.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "kind", "name", "country"])
        for p, name in sorted(projects.items()):
            w.writerow([p, "Project", name, ""])
        for o, (name, country) in sorted(orgs.items()):
            w.writerow([o, "Organisation", name, country])
    with open(os.path.join(out, "edges.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "target", "type", "role"])
        for o, p, role in edges:
            w.writerow([o, p, "PARTICIPATES_IN", role])
    ids = sorted(list(projects) + list(orgs))
    return ids, [(o, p) for o, p, _ in edges]


def timed(f, repeat):
    """Best wall-clock and CPU seconds of repeat calls, and the result."""
    wall, cpu, res = float("inf"), float("inf"), None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        res = f()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return wall, cpu, res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--country", action="append", default=[],
                    help="keep only participations of organisations of this country code (repeatable)")
    ap.add_argument("--measures", default="betweenness,closeness,pagerank",
                    help="comma-separated, among " + ",".join(IGRAPH))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--keep", help="write the dataset to this directory and keep it")
    ap.add_argument("--skip-igraph", action="store_true")
    ap.add_argument("--skip-go", action="store_true")
    ap.add_argument("--skip-check", action="store_true", help="do not compare the scores")
    args = ap.parse_args()
    measures = [m.strip() for m in args.measures.split(",") if m.strip()]
    for m in measures:
        if m not in IGRAPH:
            sys.exit("unknown measure %r; the measures are %s" % (m, ", ".join(IGRAPH)))

    rows = read_participations(args.data, set(args.country))
    tmp = None
    if args.keep:
        out = args.keep
        os.makedirs(out, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="coopgraph-bench-")
        out = tmp.name
    ids, edges = write_dataset(rows, out)
    index = {v: i for i, v in enumerate(ids)}
    g = igraph.Graph(n=len(ids), edges=[(index[a], index[b]) for a, b in edges])
    g.simplify()
    print("dataset %s: %d nodes, %d edges (%d participations)%s" % (
        out, g.vcount(), g.ecount(), len(rows), "; countries " + ",".join(args.country) if args.country else ""))
    print("igraph %s; %d cores" % (igraph.__version__, os.cpu_count()), flush=True)

    ig_time, ig_res = {}, {}
    if not args.skip_igraph:
        for m in measures:
            wall, cpu, res = timed(lambda: IGRAPH[m][0](g), args.repeat)
            ig_time[m], ig_res[m] = (wall, cpu), res
            print("igraph  %-15s wall %9.3f s  cpu %9.3f s" % (m, wall, cpu), flush=True)
    go_time = {}
    if not args.skip_go:
        benches = [b for m in measures for b in IGRAPH[m][1]]
        go_time = run_go_bench(out, benches, args.repeat)
    print()
    print("%-15s %12s %12s %12s %8s" % ("measure", "igraph wall", "igraph cpu", "engine wall", "ratio"))
    for m in measures:
        for b in IGRAPH[m][1]:
            it, gt = ig_time.get(m), go_time.get(b)
            print("%-15s %12s %12s %12s %8s" % (
                b, "%.3f" % it[0] if it else "-", "%.3f" % it[1] if it else "-",
                "%.3f" % gt if gt else "-", "%.1fx" % (min(it) / gt) if it and gt else "-"))
    if ig_res and not args.skip_go and not args.skip_check:
        compare(out, g, ids, ig_res)
    if tmp:
        tmp.cleanup()


def run_go_bench(out, benches, repeat):
    env = dict(os.environ, COOPGRAPH_BENCH_DATASET=out)
    pattern = "^BenchmarkDatasetCentrality$/^(%s)$" % "|".join(re.escape(b) for b in benches)
    cmd = ["go", "test", "./graph/", "-run", "^$", "-bench", pattern, "-benchtime", "1x", "-count", str(repeat)]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("go test failed:\n" + res.stdout + res.stderr)
    times = {}
    for line in res.stdout.splitlines():
        mt = re.match(r"BenchmarkDatasetCentrality/([\w.-]+?)(-\d+)?\s+\d+\s+(\d+(?:\.\d+)?) ns/op", line)
        if mt:
            b, t = mt.group(1), float(mt.group(3)) / 1e9
            times[b] = min(times.get(b, t), t)
            print("engine  %-15s wall %9.3f s" % (b, t), flush=True)
    return times


def compare(out, g, ids, ig_res):
    """Checks the engine's scores against igraph's, in networkx's conventions."""
    path = os.path.join(out, "scores.tsv")
    env = dict(os.environ, COOPGRAPH_BENCH_DATASET=out, COOPGRAPH_BENCH_SCORES=path,
               COOPGRAPH_BENCH_MEASURES=",".join(ig_res))
    res = subprocess.run(["go", "test", "./graph/", "-run", "^TestDatasetScores$", "-count", "1"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("go test failed:\n" + res.stdout + res.stderr)
    engine = {}
    with open(path) as f:
        for line in f:
            m, i, v = line.rstrip("\n").split("\t")
            engine.setdefault(m, {})[i] = float(v)
    n = len(ids)
    comp = g.connected_components().membership
    size = {}
    for c in comp:
        size[c] = size.get(c, 0) + 1
    want = {}
    if "betweenness" in ig_res:
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        want["betweenness"] = [v * scale for v in ig_res["betweenness"]]
    if "closeness" in ig_res:
        want["closeness"] = [0.0 if (v != v or size[comp[i]] <= 1) else v * (size[comp[i]] - 1) / (n - 1)
                             for i, v in enumerate(ig_res["closeness"])]
    if "harmonic" in ig_res:
        want["harmonic"] = ig_res["harmonic"]
    if "pagerank" in ig_res:
        want["pagerank"] = ig_res["pagerank"]
        want["pagerank-1e-10"] = ig_res["pagerank"]
    print()
    for m, w in want.items():
        if m not in engine:
            continue
        worst = 0.0
        for i, id_ in enumerate(ids):
            d = abs(engine[m][id_] - w[i])
            if d > 1e-15:
                worst = max(worst, d / max(abs(w[i]), 1e-300))
        print("%-15s max relative difference engine vs igraph: %.1e" % (m, worst))


if __name__ == "__main__":
    main()
