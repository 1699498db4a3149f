#!/usr/bin/env python3
"""coopgraph's certified betweenness approximation against NetworKit's
KADABRA, side by side, at equal epsilon and delta, on the whole CORDIS
Horizon 2020 network with its countries (data/cordis-h2020).

NetworKit is not a Debian package: install it into a virtual environment
(PyPI `networkit`, a wheel), then run from the repository root:

    python3 -m venv /tmp/nkvenv && /tmp/nkvenv/bin/pip install networkit
    /tmp/nkvenv/bin/python scripts/bench/kadabra_vs_networkit.py --repeat 3

It

  1. builds coopgraph (go build ./cmd/coopgraph) and has it write the whole
     network as CSV (`coopgraph export --format csv`);
  2. reads edges.csv into a NetworKit graph (the simple undirected graph
     coopgraph's centrality works on: parallel relations once, no
     self-loops; nodes.csv's order), and times
     KadabraBetweenness(G, err=EPS, delta=DELTA).run() alone — its compute,
     on --threads threads (nk.setNumberOfThreads);
  3. times coopgraph's whole process,
     `coopgraph centrality --data data/cordis-h2020 --measure betweenness
     --epsilon EPS --delta DELTA` (reading and linking the dataset
     included), with GOMAXPROCS=--threads, and the same process ranking by
     DEGREE (loading plus a linear pass), whose time, subtracted, leaves
     coopgraph's compute;
  4. prints both, and the ratio of NetworKit's compute to coopgraph's whole
     process and to its compute (> 1: coopgraph is faster), the best of
     --repeat runs; and how far apart the two top-10 estimates are (both
     lie within EPS of the exact scores with probability 1 - DELTA, so
     within 2 EPS of each other with probability 1 - 2 DELTA).

KADABRA's scores (NetworKit 11.3) are twice the share of ordered pairs
whose shortest paths run through a node (checked against coopgraph's exact
betweenness of CORDIS: MSCA 0.4492 against 0.2230); coopgraph's are
networkx's (divided by (n-1)(n-2)): the script multiplies KADABRA's by
n/(2(n-2)) before comparing them.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

import networkit as nk

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def run(cmd, env=None):
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/cordis-h2020")
    ap.add_argument("--epsilon", type=float, default=0.01)
    ap.add_argument("--delta", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="kadabra-")
    binary = os.path.join(tmp, "coopgraph")
    subprocess.run(["go", "build", "-o", binary, "./cmd/coopgraph"], cwd=ROOT, check=True)
    subprocess.run([binary, "export", "--data", args.data, "--format", "csv", "--out", tmp], cwd=ROOT, check=True,
                   capture_output=True)

    with open(os.path.join(tmp, "nodes.csv"), newline="") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    index = {v: i for i, v in enumerate(sorted(ids))}
    g = nk.Graph(len(index))
    with open(os.path.join(tmp, "edges.csv"), newline="") as f:
        for row in csv.DictReader(f):
            u, v = index[row["source"]], index[row["target"]]
            if u != v and not g.hasEdge(u, v):
                g.addEdge(u, v)
    n, m = g.numberOfNodes(), g.numberOfEdges()
    print(f"{args.data}: {n} nodes, {m} edges (simple); epsilon {args.epsilon}, delta {args.delta}, {args.threads} threads")

    nk.setNumberOfThreads(args.threads)
    nk_best, kad = float("inf"), None
    for _ in range(args.repeat):
        kad = nk.centrality.KadabraBetweenness(g, args.epsilon, args.delta)
        t = time.perf_counter()
        kad.run()
        nk_best = min(nk_best, time.perf_counter() - t)
    names = sorted(index, key=index.get)
    nk_top = {names[v]: s * n / (2 * (n - 2)) for v, s in kad.ranking()[:10]}

    env = dict(os.environ, GOMAXPROCS=str(args.threads))
    base = [binary, "centrality", "--data", args.data, "--top", "10", "--format", "csv"]
    cg_best, deg_best, out = float("inf"), float("inf"), ""
    for _ in range(args.repeat):
        t, out = run(base + ["--measure", "betweenness", "--epsilon", str(args.epsilon), "--delta", str(args.delta)], env)
        cg_best = min(cg_best, t)
        t, _ = run(base + ["--measure", "degree"], env)
        deg_best = min(deg_best, t)
    cg_top = {r["id"]: float(r["score"]) for r in csv.DictReader(out.splitlines())}
    compute = max(cg_best - deg_best, 1e-9)

    print(f"NetworKit KADABRA compute:          {nk_best:8.3f} s")
    print(f"coopgraph whole process:            {cg_best:8.3f} s  (ratio NetworKit/coopgraph {nk_best / cg_best:.2f})")
    print(f"coopgraph process ranking by DEGREE:{deg_best:8.3f} s  (reading and linking the dataset)")
    print(f"coopgraph compute (the difference): {compute:8.3f} s  (ratio NetworKit/coopgraph {nk_best / compute:.2f})")
    common = set(nk_top) & set(cg_top)
    gap = max((abs(nk_top[v] - cg_top[v]) for v in common), default=float("nan"))
    for v in sorted(cg_top, key=cg_top.get, reverse=True)[:5]:
        print(f"  {v:40s} coopgraph {cg_top[v]:.5f}  NetworKit {nk_top.get(v, float('nan')):.5f}")
    print(f"top 10: {len(common)} entities in both; largest difference of their scores {gap:.4g} (2 epsilon = {2 * args.epsilon})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
