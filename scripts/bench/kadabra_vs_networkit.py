#!/usr/bin/env python3
"""coopgraph's certified betweenness approximation (KADABRA, see
graph/betweenness_kadabra.go) against NetworKit's KadabraBetweenness, side by
side, at equal epsilon and delta, on the whole CORDIS Horizon 2020 network
(data/cordis-h2020, 67,511 entities) as two graphs:

  countries       every relation: participations, the organisations'
                  LOCATED_IN their countries, the projects' FUNDED_BY their
                  programme parts (218,049 edges in the simple graph);
  participations  PARTICIPATES_IN alone (organisations and projects,
                  ~145k edges: issue 16's graph; countries and programme
                  parts stay as isolated nodes, in both tools).

NetworKit is not a Debian package: install it into a virtual environment
(PyPI `networkit`, a wheel), then run from the repository root:

    python3 -m venv /tmp/nkvenv && /tmp/nkvenv/bin/pip install networkit
    /tmp/nkvenv/bin/python scripts/bench/kadabra_vs_networkit.py --repeat 3

It

  1. builds coopgraph (go build ./cmd/coopgraph) and has it write the whole
     network as CSV (`coopgraph export --format csv`);
  2. reads edges.csv into a NetworKit graph per graph above (the simple
     undirected graph coopgraph's centrality works on: parallel relations
     once, no self-loops; nodes.csv's order), and times
     KadabraBetweenness(G, err=EPS, delta=DELTA).run() alone — its compute,
     on --threads threads (nk.setNumberOfThreads);
  3. times coopgraph's whole process,
     `coopgraph centrality --data data/cordis-h2020 --measure betweenness
     --epsilon EPS --delta DELTA [--relation-type PARTICIPATES_IN]`
     (reading the dataset included: from the cache of --data loads, which
     the script fills first in a directory of its own, COOPGRAPH_CACHE_DIR;
     it prints beside the whole process with --no-cache, the tables parsed),
     with GOMAXPROCS=--threads,
     and reads the compute time it reports ("computing betweenness …");
     the CPU time (user + system, all threads) of NetworKit's run() and of
     coopgraph's whole process too, which other work on a shared machine
     inflates less than their wall times;
  4. prints, per graph and epsilon, the best of --repeat runs of each, the
     ratios of NetworKit's compute to coopgraph's whole process and to its
     compute (> 1: coopgraph is faster), and how far apart the two top-10
     estimates are (both lie within EPS of the exact scores with
     probability 1 - DELTA, so within 2 EPS of each other with probability
     1 - 2 DELTA). The runs of the two tools alternate, so that a change of
     the machine's load hits both.

KADABRA's scores (NetworKit 11.3) are twice the share of ordered pairs
whose shortest paths run through a node (checked against coopgraph's exact
betweenness of CORDIS: MSCA 0.4492 against 0.2230); coopgraph's are
networkx's (divided by (n-1)(n-2)): the script multiplies KADABRA's by
n/(2(n-2)) before comparing them.
"""

import argparse
import csv
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import networkit as nk

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

GRAPHS = {
    "countries": None,  # every relation type
    "participations": "PARTICIPATES_IN",
}


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, env=None):
    """Runs cmd: its wall time, its CPU time (user + system), stdout, stderr."""
    c, t = children_cpu(), time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - t, children_cpu() - c, p.stdout, p.stderr


def reported_compute(stderr):
    """coopgraph's own figure, 'computing betweenness 414ms' (or 1.2s)."""
    m = re.search(r"computing betweenness ([0-9.]+)(ms|s|µs)", stderr)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"ms": 1e-3, "s": 1.0, "µs": 1e-6}[m.group(2)]


def networkit_graph(tmp, relation_type):
    with open(os.path.join(tmp, "nodes.csv"), newline="") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    index = {v: i for i, v in enumerate(sorted(ids))}
    g = nk.Graph(len(index))
    with open(os.path.join(tmp, "edges.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if relation_type and row["type"] != relation_type:
                continue
            u, v = index[row["source"]], index[row["target"]]
            if u != v and not g.hasEdge(u, v):
                g.addEdge(u, v)
    return g, sorted(index, key=index.get)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/cordis-h2020")
    ap.add_argument("--graphs", default="participations,countries")
    ap.add_argument("--epsilon", default="0.01,0.05", help="comma-separated")
    ap.add_argument("--delta", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="kadabra-")
    binary = os.path.join(tmp, "coopgraph")
    subprocess.run(["go", "build", "-o", binary, "./cmd/coopgraph"], cwd=ROOT, check=True)
    subprocess.run([binary, "export", "--data", args.data, "--format", "csv", "--out", tmp, "--no-cache"], cwd=ROOT,
                   check=True, capture_output=True)
    nk.setNumberOfThreads(args.threads)
    env = dict(os.environ, GOMAXPROCS=str(args.threads), COOPGRAPH_CACHE_DIR=os.path.join(tmp, "cache"),
               COOPGRAPH_PROGRESS_AFTER="0s")  # the phases' summary, even of a short run
    print(f"load average before: {os.getloadavg()}")
    # The cache of --data loads: the first run parses the tables and keeps
    # the load; the runs timed below read it (a second run, as a user's).
    degree = [binary, "centrality", "--data", args.data, "--measure", "degree", "--top", "1"]
    cold, _, _, _ = run(degree, env)
    parsed = min(run(degree + ["--no-cache"], env)[0] for _ in range(args.repeat))
    warm = min(run(degree, env)[0] for _ in range(args.repeat))
    print(f"coopgraph whole process, degree: first run (parsing, filling the cache) {cold:.3f} s,"
          f" --no-cache {parsed:.3f} s, from the cache {warm:.3f} s (best of {args.repeat})")
    rows = []
    for name in args.graphs.split(","):
        rt = GRAPHS[name]
        g, names = networkit_graph(tmp, rt)
        n, m = g.numberOfNodes(), g.numberOfEdges()
        print(f"\n== {name}: {n} nodes, {m} edges (simple); delta {args.delta}, {args.threads} threads, best of {args.repeat}")
        base = [binary, "centrality", "--data", args.data, "--top", "10", "--format", "csv"]
        if rt:
            base += ["--relation-type", rt]
        for eps in [float(e) for e in args.epsilon.split(",")]:
            inf = float("inf")
            nk_best, nk_cpu, cg_best, cg_cpu, cg_compute, kad, out = inf, inf, inf, inf, inf, None, ""
            for _ in range(args.repeat):
                kad = nk.centrality.KadabraBetweenness(g, eps, args.delta)
                c, t = time.process_time(), time.perf_counter()
                kad.run()
                nk_best = min(nk_best, time.perf_counter() - t)
                nk_cpu = min(nk_cpu, time.process_time() - c)
                t, c, out, err = run(base + ["--measure", "betweenness", "--epsilon", str(eps), "--delta", str(args.delta)], env)
                cg_best, cg_cpu = min(cg_best, t), min(cg_cpu, c)
                cg_compute = min(cg_compute, reported_compute(err))
            nk_top = {names[v]: s * n / (2 * (n - 2)) for v, s in kad.ranking()[:10]}
            cg_top = {r["id"]: float(r["score"]) for r in csv.DictReader(out.splitlines())}
            common = set(nk_top) & set(cg_top)
            gap = max((abs(nk_top[v] - cg_top[v]) for v in common), default=float("nan"))
            print(f"epsilon {eps}:")
            print(f"  NetworKit KADABRA compute:  {nk_best:8.3f} s")
            print(f"  coopgraph whole process:    {cg_best:8.3f} s  (ratio NetworKit/coopgraph {nk_best / cg_best:.2f})")
            print(f"  coopgraph compute:          {cg_compute:8.3f} s  (ratio NetworKit/coopgraph {nk_best / cg_compute:.2f})")
            print(f"  CPU time: NetworKit compute {nk_cpu:.3f} s, coopgraph whole process {cg_cpu:.3f} s"
                  f" (ratio {nk_cpu / cg_cpu:.2f})")
            for v in sorted(cg_top, key=cg_top.get, reverse=True)[:3]:
                print(f"    {v:40s} coopgraph {cg_top[v]:.5f}  NetworKit {nk_top.get(v, float('nan')):.5f}")
            print(f"  top 10: {len(common)} entities in both; largest difference of their scores {gap:.4g} (2 epsilon = {2 * eps})")
            rows.append((name, eps, nk_best, cg_best, cg_compute, nk_cpu, cg_cpu))
    print(f"\nload average after: {os.getloadavg()}")
    print("\n| graph | ε | NetworKit compute | coopgraph whole process | coopgraph compute | ratio (compute) | CPU: NetworKit compute, coopgraph process |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, eps, nkb, cgb, cgc, nkc, cgp in rows:
        print(f"| {name} | {eps} | {nkb:.3f} s | {cgb:.2f} s ({nkb / cgb:.2f}×) | {cgc:.3f} s | **{nkb / cgc:.2f}×** |"
              f" {nkc:.2f} s, {cgp:.2f} s ({nkc / cgp:.2f}×) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
