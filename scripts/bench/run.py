#!/usr/bin/python3
"""Benchmark coopgraph against igraph and networkx on the same graphs.

    /usr/bin/python3 scripts/bench/run.py            # full run, ~15 minutes
    /usr/bin/python3 scripts/bench/run.py --quick    # smoke run, ~2 minutes
    /usr/bin/python3 scripts/bench/run.py --graphs cordis --exact-max-nodes 100000

Run from anywhere with Debian's interpreter (python3-igraph 0.10,
python3-networkx 2.8, python3-scipy); needs Go to build coopgraph.

The graphs (datasets in .bench-cache/ at the repository root, made by
scripts/bench/cordis_dataset.py and `coopgraph gen`):

  cordis            the real CORDIS H2020 bipartite graph: projects and
                    organisations, PARTICIPATES_IN only (67,322 nodes, 144,726 edges)
  cordis-countries  the same with Country entities and LOCATED_IN (as loaded by users)
  cordis-PL, cordis-PL-CZ-SK-HU (alias cordis-V4), …
                    organisations of those countries, their projects, and LOCATED_IN
  cordis-PL-partners
                    the projects with a Polish partner, with all their partners
  gen-30k, gen-150k, gen-500k, gen-<N>
                    `coopgraph gen --participations N --seed 1`

What is timed, for each graph:

  coopgraph  the WHOLE PROCESS of the CLI, as a user runs it: start, load and
             validate the dataset, build the snapshot, compute, print
             (`coopgraph centrality --data DIR --measure M --top 50 --format csv`,
             `communities`/`components --format json`), wall clock, best of up
             to 3 runs (fewer when a run takes long). It uses every core (2 here).
  igraph     the computation ALONE on the graph already built in memory
             (python-igraph 0.10, C core, one thread: OMP_NUM_THREADS=1 unless
             set, see below), best of up to 3 runs (more for fast calls).

  Best-of rather than median: the machine is shared, and the least time is
  the one least disturbed by other processes, for both sides alike.
  networkx   the computation alone (pure Python), once; skipped with a note
             above a size threshold, as it would take hours.

  ratios are igraph_time / coopgraph_time and networkx_time / coopgraph_time:
  above 1, coopgraph is faster.

Measures: exact betweenness and closeness (skipped above --exact-max-nodes:
igraph needs ~8 minutes for closeness alone on the full CORDIS graph);
sampled betweenness (coopgraph --samples K --seed S against networkx
betweenness_centrality(k=K); igraph cannot sample, so its column is its
EXACT betweenness, labelled so); PageRank (α 0.85; igraph solves it with
PRPACK, a direct solver accurate to ~1e-10, networkx and coopgraph iterate
to networkx's tolerance, an L1 change below n·1e-6: scores agree to ~1e-7);
shortest path (the median of per-query times over --pairs random pairs:
coopgraph in process by scripts/bench/pathbench, which loads the dataset
once; igraph get_shortest_paths and networkx shortest_path per query,
including Python's call overhead of a few µs); connected components;
Louvain communities (igraph community_multilevel, networkx
louvain_communities).

Checks, printed loudly when they fail (exit status 1):
  - exact centrality: coopgraph's top 10 ids equal the reference's (igraph
    converted to networkx's conventions, and networkx where it ran), ties
    within 1e-6 allowed to swap, and each of coopgraph's top 50 scores
    within 1e-6 of the reference;
  - shortest paths: the same length for every pair as igraph;
  - components: the same number and largest size as igraph;
  - communities: the modularity coopgraph reports equals igraph's
    modularity of coopgraph's partition (the partitions themselves differ:
    Louvain is randomised).
The table also prints, for information, how many of sampled betweenness's
top 10 are in the exact top 10, and the modularity each library reaches.

Topology memory: pathbench prints (*graph.Snapshot).TopologyBytes() and the
run prints it per relation.
"""

import argparse
import csv
import gzip
import io
import json
import math
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(REPO, ".bench-cache")

# igraph's PageRank (PRPACK) runs on OpenMP threads. On a busy machine their
# barriers stall for whole scheduler time slices (we saw a 1 ms PageRank take
# 0.9 s), so igraph runs on one thread unless OMP_NUM_THREADS says otherwise:
# its best time here, and its other measures are single-threaded anyway.
# Must be set before libgomp is loaded.
os.environ.setdefault("OMP_NUM_THREADS", "1")

try:
    import igraph as ig
    import networkx as nx
except ImportError as e:  # pragma: no cover
    sys.exit("run.py: %s; run with /usr/bin/python3 (apt-get install -y python3-igraph "
             "python3-networkx python3-scipy)" % e)

TOL = 1e-6  # score agreement
FULL_GRAPHS = ["cordis-PL", "cordis-V4", "cordis-PL-partners", "gen-30k",
               "cordis", "cordis-countries", "gen-150k", "gen-500k"]
QUICK_GRAPHS = ["cordis-PL", "cordis-V4", "gen-30k"]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- datasets

def parse_size(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text)
    if not m:
        raise ValueError(text)
    mult = {"": 1, "k": 1000, "K": 1000, "m": 1000000, "M": 1000000}[m.group(2)]
    return int(float(m.group(1)) * mult)


def dataset_for(name, tools, seed):
    """Make (or reuse) the dataset directory of a graph name."""
    if name.startswith("gen-"):
        n = parse_size(name[4:])
        out = os.path.join(CACHE, "gen-%d-s%d" % (n, seed))
        if tools.coopgraph_gen:
            cmd = [tools.coopgraph, "gen", "--participations", str(n), "--seed", str(seed), "--out", out, "--force"]
        else:
            cmd = [tools.gendata, str(n), str(seed), out]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return out
    if name == "cordis-V4":
        name = "cordis-PL-CZ-SK-HU"
    if not name.startswith("cordis"):
        raise SystemExit("run.py: unknown graph %r" % name)
    parts = name.split("-")[1:]
    args = []
    if name == "cordis":
        args = ["--no-countries"]
    else:
        if parts and parts[-1] == "bipartite":
            args.append("--no-countries")
            parts = parts[:-1]
        if parts and parts[-1] == "partners":
            args.append("--with-partners")
            parts = parts[:-1]
        if parts == ["countries"]:
            parts = []
        if parts:
            args += ["--countries", ",".join(parts)]
    out = subprocess.run([sys.executable, os.path.join(HERE, "cordis_dataset.py"), "--quiet"] + args,
                         check=True, stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]
    return out


def read_csv_gz(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        yield header
        yield from r


class Graph:
    """A dataset read into igraph (and networkx on demand)."""

    def __init__(self, name, directory):
        self.name, self.dir = name, directory
        t = time.perf_counter()
        rows = read_csv_gz(os.path.join(directory, "nodes.csv.gz"))
        col = next(rows).index("id")
        self.ids = [row[col] for row in rows]
        self.index = {v: i for i, v in enumerate(self.ids)}
        rows = read_csv_gz(os.path.join(directory, "edges.csv.gz"))
        h = next(rows)
        s, d = h.index("source"), h.index("target")
        idx = self.index
        self.edges = [(idx[row[s]], idx[row[d]]) for row in rows]
        self.n, self.relations = len(self.ids), len(self.edges)
        g = ig.Graph(n=self.n, edges=self.edges, directed=False)
        g.simplify(multiple=True, loops=False)  # nx.Graph(): parallel edges once, loops kept
        self.g = g
        self.read_s = time.perf_counter() - t
        self._nx = None
        self._comp_size = None

    def nx(self):
        if self._nx is None:
            t = time.perf_counter()
            G = nx.Graph()
            G.add_nodes_from(self.ids)
            ids = self.ids
            G.add_edges_from((ids[a], ids[b]) for a, b in self.edges)
            self._nx = G
            self.nx_build_s = time.perf_counter() - t
        return self._nx

    def component_sizes(self):
        """Size of each vertex's connected component."""
        if self._comp_size is None:
            cc = self.g.connected_components()
            sizes = cc.sizes()
            self._comp_size = [sizes[m] for m in cc.membership]
        return self._comp_size


# ----------------------------------------------------------------- timing

def timed(fn, reps=3, budget=2.0, long=10.0, max_reps=10):
    """Best (least) time of repeated runs of fn, and its last result.

    Cheap calls run until they have taken `budget` seconds (at least `reps`
    runs, at most `max_reps`): their first runs are often disturbed (cold
    caches, other processes). A run of `long` seconds or more ends it.
    """
    times, result = [], None
    while True:
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
        total = sum(times)
        if len(times) >= max_reps or total >= long or (len(times) >= reps and total >= budget):
            break
    return min(times), result


class CLIError(Exception):
    pass


# GNU time reports the peak RSS of the process it runs. The rusage of our own
# child is no good: the child is forked from this Python process, with
# igraph and networkx loaded, and its peak RSS counts those ~90 MB before
# the exec.
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
RSS_MARK = "coopgraph-bench-peak-rss-kb="


def run_process(argv, timeout):
    """Runs argv; returns (wall seconds, stdout, peak RSS in bytes, or None
    when GNU time is missing). The wall time includes GNU time's own
    fork and exec (well under a millisecond)."""
    if GNU_TIME:
        argv = [GNU_TIME, "-f", RSS_MARK + "%M"] + list(argv)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=err)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            _, status, _ = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    rss = None
    if GNU_TIME:
        kept = []
        for line in stderr.splitlines():
            if line.startswith(RSS_MARK):
                rss = int(line[len(RSS_MARK):]) * 1024
            elif not line.startswith("Command exited with non-zero status"):
                kept.append(line)
        stderr = "\n".join(kept)
    if p.returncode != 0:
        what = "killed after %ds" % timeout if p.returncode < 0 else "exit %d" % p.returncode
        msg = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        raise CLIError("%s: %s" % (what, msg[:200]))
    return wall, stdout, rss


def timed_cli(argv, timeout, reps=3, budget=3.0, long=10.0, max_reps=5):
    """Best wall time of repeated runs of a process (as timed), its output and peak RSS."""
    times, out, rss = [], None, 0
    while True:
        wall, out, r = run_process(argv, timeout)
        times.append(wall)
        rss = max(rss, r or 0)
        total = sum(times)
        if len(times) >= max_reps or total >= long or (len(times) >= reps and total >= budget):
            break
    return min(times), out, rss


# ------------------------------------------------------ reference measures

def ig_betweenness(G):
    n = G.n
    raw = G.g.betweenness(directed=False)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0  # igraph counts unordered pairs once
    return [x * scale for x in raw]


def ig_closeness(G):
    n = G.n
    c = G.g.closeness(normalized=True)  # (r-1)/sum over the r reachable vertices
    sizes = G.component_sizes()
    return [0.0 if (x is None or math.isnan(x)) else x * (sizes[i] - 1) / (n - 1) for i, x in enumerate(c)]


def ig_pagerank(G):
    return G.g.pagerank(directed=False, damping=0.85)  # PRPACK


def by_index(G, scores_by_id):
    return [scores_by_id.get(v, 0.0) for v in G.ids]


def top_ids(G, scores, k):
    order = sorted(range(G.n), key=lambda i: (-scores[i], G.ids[i]))[:k]
    return [G.ids[i] for i in order]


def compare_scores(G, cg_rows, ref, what, tol=TOL, note="", tie_tol=None):
    """(ok, text): coopgraph's top 10 and top-50 scores against reference scores by index.

    Scores must agree within tol; in the top 10, two ids may swap when
    their reference scores are within tie_tol (default tol) of each other."""
    problems = []
    maxdiff = 0.0
    for vid, score in cg_rows:
        r = ref[G.index[vid]]
        d = abs(score - r)
        maxdiff = max(maxdiff, d)
        if d > tol:
            problems.append("%s %.10g vs %.10g" % (vid, score, r))
    if tie_tol is None:
        tie_tol = tol
    elif tie_tol == "observed":  # as close as the two libraries' scores are
        tie_tol = 2 * maxdiff
    k = min(10, len(cg_rows))
    ref_top = top_ids(G, ref, k)
    cg_top = [vid for vid, _ in cg_rows[:k]]
    ties = False
    for a, b in zip(cg_top, ref_top):
        if a != b:
            if abs(ref[G.index[a]] - ref[G.index[b]]) <= tie_tol:
                ties = True
            else:
                problems.insert(0, "top-10 differs at %s vs %s" % (a, b))
                break
    if problems:
        return False, "MISMATCH vs %s: %s" % (what, "; ".join(problems[:3]))
    return True, "%s top-10 %s, max |Δ| %.1e%s" % (what, "equal up to ties" if ties else "equal", maxdiff, note)


def parse_centrality_csv(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    return [(r["id"], float(r["score"])) for r in rows]


def groups_of(obj, key):
    groups = obj.get(key) or []
    out = []
    for grp in groups:
        if isinstance(grp, dict):
            for k in ("members", "ids", "entities", "nodes"):
                if k in grp:
                    grp = grp[k]
                    break
        out.append([x["id"] if isinstance(x, dict) else x for x in grp])
    return out


# ---------------------------------------------------------------- the run

class Row:
    def __init__(self, graph, measure, unit="s"):
        self.graph, self.measure, self.unit = graph, measure, unit
        self.cg = self.ig = self.nx = None
        self.ig_label = self.nx_label = ""
        self.check = ""
        self.ok = True

    def ratio(self, other):
        if self.cg and other:
            return other / self.cg
        return None


def fmt_time(x, unit):
    if x is None:
        return "—"
    if unit == "µs":
        return "%.1f µs" % x
    if x < 0.01:
        return "%.2f ms" % (x * 1e3)
    return "%.3f s" % x if x < 10 else "%.1f s" % x


def fmt_ratio(r):
    return "—" if r is None else "%.2fx" % r


class Tools:
    pass


def build_tools(tmp):
    t = Tools()
    t.coopgraph = os.path.join(tmp, "coopgraph")
    t.pathbench = os.path.join(tmp, "pathbench")
    t.gendata = os.path.join(tmp, "gendata")
    env = dict(os.environ)
    for target, pkg in ((t.pathbench, "./scripts/bench/pathbench"), (t.gendata, "./scripts/bench/gendata")):
        subprocess.run(["go", "build", "-o", target, pkg], cwd=REPO, check=True, env=env)
    r = subprocess.run(["go", "build", "-o", t.coopgraph, "./cmd/coopgraph"], cwd=REPO, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    t.cli = set()
    t.build_error = None
    if r.returncode != 0:
        t.build_error = r.stdout.strip().splitlines()[:3]
        t.coopgraph = None
    else:
        help_text = subprocess.run([t.coopgraph, "help"], stdout=subprocess.PIPE, text=True).stdout
        for cmd in ("centrality", "communities", "components", "gen"):
            if re.search(r"coopgraph\s+%s\b" % cmd, help_text):
                t.cli.add(cmd)
    t.coopgraph_gen = "gen" in t.cli
    return t


def bench_graph(name, args, tools, rows, mismatches, info):
    log("== %s" % name)
    directory = dataset_for(name, tools, args.seed)
    G = Graph(name, directory)
    n, m = G.n, G.relations
    cc = G.g.connected_components()
    gi = {"graph": name, "dir": os.path.relpath(directory, REPO), "nodes": n, "relations": m,
          "simple_edges": G.g.ecount(), "components": len(cc), "largest": max(cc.sizes()) if n else 0,
          "igraph_read_s": G.read_s}
    info.append(gi)
    log("   %d nodes, %d relations, %d components (largest %d); read into igraph in %.1fs"
        % (n, m, gi["components"], gi["largest"], G.read_s))
    cg_ok = tools.coopgraph is not None
    data = ["--data", directory]

    def cli(argv):
        wall, out, rss = timed_cli([tools.coopgraph] + argv, args.timeout, reps=args.reps)
        gi["coopgraph_peak_rss"] = max(gi.get("coopgraph_peak_rss", 0), rss)
        return wall, out

    def add(row):
        rows.append(row)
        if not row.ok:
            mismatches.append("%s / %s: %s" % (row.graph, row.measure, row.check))
            log("   !!! %s %s: %s" % (row.graph, row.measure, row.check))
        else:
            log("   %-22s cg %-10s ig %-10s nx %-10s %s" % (row.measure, fmt_time(row.cg, row.unit),
                                                          fmt_time(row.ig, row.unit), fmt_time(row.nx, row.unit), row.check))

    def centrality(measure, label, ig_fn, nx_fn, exact_ok):
        row = Row(name, label)
        if not exact_ok:
            row.check = "skipped: %d nodes > --exact-max-nodes %d" % (n, args.exact_max_nodes)
            add(row)
            return None
        ref = None
        row.ig, ref = timed(lambda: ig_fn(G), reps=args.reps)
        nx_ref = None
        if n <= args.nx_exact_max_nodes:
            t = time.perf_counter()
            nx_ref = by_index(G, nx_fn(G.nx()))
            row.nx = time.perf_counter() - t
        else:
            row.nx_label = "> %d nodes" % args.nx_exact_max_nodes
        checks = []
        if cg_ok and "centrality" in tools.cli:
            try:
                row.cg, out = cli(["centrality"] + data + ["--measure", measure, "--top", "50", "--format", "csv"])
                cg_rows = parse_centrality_csv(out)
                ok, text = compare_scores(G, cg_rows, ref, "igraph")
                row.ok &= ok
                checks.append(text)
                if nx_ref is not None:
                    ok, text = compare_scores(G, cg_rows, nx_ref, "nx")
                    row.ok &= ok
                    checks.append(text)
            except CLIError as e:
                row.ok, checks = False, ["coopgraph failed: %s" % e]
        else:
            checks.append("coopgraph: no centrality command")
            if nx_ref is not None:  # check the conversions at least: networkx's top 50 against igraph
                nx_rows = [(v, nx_ref[G.index[v]]) for v in top_ids(G, nx_ref, 50)]
                ok, text = compare_scores(G, nx_rows, ref, "nx vs igraph")
                row.ok &= ok
                checks.append(text)
        row.check = "; ".join(checks)
        add(row)
        return ref

    exact_ok = n <= args.exact_max_nodes
    bc_ref = centrality("betweenness", "betweenness (exact)", ig_betweenness,
                        lambda H: nx.betweenness_centrality(H), exact_ok)

    # sampled betweenness
    k = args.samples
    row = Row(name, "betweenness (%d samples)" % k)
    if k >= n:
        row.check = "skipped: fewer nodes than samples"
    else:
        if bc_ref is not None:
            row.ig = next(r.ig for r in rows if r.graph == name and r.measure == "betweenness (exact)")
            row.ig_label = "exact"
        else:
            row.ig_label = "no sampling"
        nx_scores = None
        if n <= args.nx_sampled_max_nodes:
            G.nx()
            t = time.perf_counter()
            nx_scores = nx.betweenness_centrality(G.nx(), k=k, seed=args.seed)
            row.nx = time.perf_counter() - t
        else:
            row.nx_label = "> %d nodes" % args.nx_sampled_max_nodes
        checks = []
        if cg_ok and "centrality" in tools.cli:
            try:
                row.cg, out = cli(["centrality"] + data + ["--measure", "betweenness", "--samples", str(k),
                                                           "--seed", str(args.seed), "--top", "50", "--format", "csv"])
                cg_top = [v for v, _ in parse_centrality_csv(out)[:10]]
                if bc_ref is not None:
                    checks.append("top-10 overlap with exact: %d/10" % len(set(cg_top) & set(top_ids(G, bc_ref, 10))))
                if nx_scores is not None:
                    nx_top = sorted(nx_scores, key=lambda v: (-nx_scores[v], v))[:10]
                    checks.append("with nx sampled: %d/10" % len(set(cg_top) & set(nx_top)))
            except CLIError as e:
                row.ok, checks = False, ["coopgraph failed: %s" % e]
        checks.append("(different random sources: not compared)")
        row.check = "; ".join(checks)
    add(row)

    centrality("closeness", "closeness", ig_closeness, lambda H: nx.closeness_centrality(H), exact_ok)

    # PageRank: every size
    row = Row(name, "pagerank (networkx rule, whole process)")
    row.ig, ref = timed(lambda: ig_pagerank(G), reps=max(3, args.reps))
    ig_scores_time[name] = row.ig
    nx_ref = None
    if n <= args.nx_max_nodes:
        H = G.nx()
        t = time.perf_counter()
        nx_ref = by_index(G, nx.pagerank(H))
        row.nx = time.perf_counter() - t
    else:
        row.nx_label = "> %d nodes" % args.nx_max_nodes
    checks = []
    if cg_ok and "centrality" in tools.cli:
        try:
            row.cg, out = cli(["centrality"] + data + ["--measure", "pagerank", "--top", "50", "--format", "csv"])
            cg_rows = parse_centrality_csv(out)
            # networkx stops iterating when the L1 change is below n·1e-6, so its
            # scores (and coopgraph's, which follow it) may be off the exact
            # solution igraph's PRPACK finds by up to α/(1-α)·n·1e-6 in L1.
            bound = 0.85 / 0.15 * n * 1e-6
            ok, text = compare_scores(G, cg_rows, ref, "igraph", tol=max(TOL, bound), tie_tol="observed",
                                      note=" (networkx's stopping rule allows %.1e)" % bound)
            row.ok &= ok
            checks.append(text)
            if nx_ref is not None:
                ok, text = compare_scores(G, cg_rows, nx_ref, "nx")
                row.ok &= ok
                checks.append(text)
        except CLIError as e:
            row.ok, checks = False, ["coopgraph failed: %s" % e]
    row.check = "; ".join(checks)
    add(row)

    # Shortest paths: per-query medians over the same random pairs.
    rng = random.Random(args.seed)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(args.pairs)]
    row = Row(name, "shortest path (median)", unit="µs")
    pairs_file = os.path.join(tempfile.gettempdir(), "coopgraph-bench-pairs-%d.tsv" % os.getpid())
    with open(pairs_file, "w") as f:
        for a, b in pairs:
            f.write("%s\t%s\n" % (G.ids[a], G.ids[b]))
    cg_lengths = None
    scores_file = os.path.join(tempfile.gettempdir(), "coopgraph-bench-pagerank-%d.tsv" % os.getpid())
    pb = None
    try:
        _, out, rss = run_process([tools.pathbench, "--data", directory, "--pairs", pairs_file, "--pagerank",
                                   "--pagerank-reps", str(max(10, args.reps)), "--pagerank-scores", scores_file], args.timeout)
        pb = json.loads(out)
        row.cg = pb["median_us"]
        cg_lengths = pb["lengths"]
        gi.update({"pathbench": {k: v for k, v in pb.items() if k != "lengths"}, "pathbench_rss": rss})
    except CLIError as e:
        row.ok = False
        row.check = "pathbench failed: %s" % e
    finally:
        os.remove(pairs_file)
    pagerank_at_tolerance(G, name, pb, scores_file, ref, add)
    g = G.g
    ig_times, ig_lengths = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a, b in pairs:
            t = time.perf_counter()
            p = g.get_shortest_paths(a, to=b, output="vpath")[0]
            ig_times.append(time.perf_counter() - t)
            ig_lengths.append(len(p) - 1 if p else -1)
    row.ig = statistics.median(ig_times) * 1e6
    if n <= args.nx_max_nodes:
        H = G.nx()
        nx_times = []
        for a, b in pairs:
            u, v = G.ids[a], G.ids[b]
            t = time.perf_counter()
            try:
                nx.shortest_path(H, u, v)
            except nx.NetworkXNoPath:
                pass
            nx_times.append(time.perf_counter() - t)
        row.nx = statistics.median(nx_times) * 1e6
    else:
        row.nx_label = "> %d nodes" % args.nx_max_nodes
    if cg_lengths is not None:
        bad = [i for i, (x, y) in enumerate(zip(cg_lengths, ig_lengths)) if x != y]
        if bad or len(cg_lengths) != len(ig_lengths):
            row.ok = False
            i = bad[0] if bad else 0
            row.check = "MISMATCH: %d of %d path lengths differ from igraph (e.g. %s→%s: %s vs %s)" % (
                len(bad), len(pairs), G.ids[pairs[i][0]], G.ids[pairs[i][1]], cg_lengths[i], ig_lengths[i])
        else:
            row.check = "%d pairs, lengths equal to igraph; coopgraph p90 %.0f µs, p99 %.0f µs (in process)" % (
                len(pairs), pb["p90_us"], pb["p99_us"])
    add(row)

    # Connected components.
    row = Row(name, "components")
    row.ig, comps = timed(lambda: G.g.connected_components(), reps=args.reps)
    if n <= args.nx_max_nodes:
        H = G.nx()
        t = time.perf_counter()
        nx_comps = list(nx.connected_components(H))
        row.nx = time.perf_counter() - t
        if len(nx_comps) != len(comps):
            row.ok = False
            row.check = "MISMATCH: networkx finds %d components, igraph %d" % (len(nx_comps), len(comps))
    if cg_ok and "components" in tools.cli:
        try:
            row.cg, out = cli(["components"] + data + ["--format", "json", "--top", "0"])
            groups = groups_of(json.loads(out), "components")
            largest = max((len(x) for x in groups), default=0)
            if len(groups) != len(comps) or largest != max(comps.sizes()):
                row.ok = False
                row.check = "MISMATCH: %d components (largest %d), igraph %d (largest %d)" % (
                    len(groups), largest, len(comps), max(comps.sizes()))
            else:
                row.check = "%d components, largest %d: equal to igraph" % (len(groups), largest)
        except (CLIError, ValueError) as e:
            row.ok, row.check = False, "coopgraph failed: %s" % e
    add(row)

    # Louvain.
    row = Row(name, "louvain")
    random.seed(args.seed)  # python-igraph draws from Python's random
    row.ig, clus = timed(lambda: G.g.community_multilevel(), reps=args.reps)
    checks = ["igraph Q %.4f (%d communities)" % (clus.modularity, len(clus))]
    if n <= args.nx_louvain_max_nodes:
        H = G.nx()
        t = time.perf_counter()
        parts = nx.community.louvain_communities(H, seed=args.seed)
        row.nx = time.perf_counter() - t
        checks.append("nx Q %.4f (%d)" % (nx.community.modularity(H, parts), len(parts)))
    else:
        row.nx_label = "> %d nodes" % args.nx_louvain_max_nodes
    if cg_ok and "communities" in tools.cli:
        try:
            row.cg, out = cli(["communities"] + data + ["--format", "json", "--top", "0", "--seed", str(args.seed)])
            obj = json.loads(out)
            groups = groups_of(obj, "communities")
            membership = [-1] * n
            for c, grp in enumerate(groups):
                for v in grp:
                    membership[G.index[v]] = c
            nxt = len(groups)
            for i in range(n):  # anything unlisted: a community of its own
                if membership[i] < 0:
                    membership[i], nxt = nxt, nxt + 1
            q = G.g.modularity(membership)
            reported = float(obj.get("modularity", float("nan")))
            if abs(q - reported) > TOL:
                row.ok = False
                checks.insert(0, "MISMATCH: coopgraph reports Q %.6f, igraph computes %.6f for its partition" % (reported, q))
            else:
                checks.insert(0, "coopgraph Q %.4f (%d communities; igraph agrees)" % (q, len(groups)))
        except (CLIError, ValueError, KeyError) as e:
            row.ok, checks = False, ["coopgraph failed: %s" % e]
    row.check = "; ".join(checks)
    add(row)

    G._nx = None  # free networkx's graph before the next one


def pagerank_at_tolerance(G, name, pb, scores_file, ig_scores, add):
    """PageRank at equal tolerance, compute against compute: one in-process
    Centrality(PAGERANK, Tolerance) call on a fresh snapshot (pathbench,
    best of 10 runs, as timed() gives igraph's millisecond calls; it
    includes building the simple graph and ranking)
    against igraph's g.pagerank() (PRPACK, tolerance 1e-10). The scores at
    1e-10 must lie within 1e-10 of igraph's in L1 (PRPACK lands within
    ~1e-12 of the exact vector, and coopgraph's distance is certified)."""
    times = (pb or {}).get("pagerank_tol_s") or {}
    for tol in ("1e-10", "1e-12"):
        row = Row(name, "pagerank (tolerance %s, compute)" % tol)
        row.ig = ig_scores_time.get(name)
        row.cg = times.get(tol)
        if tol == "1e-10":
            try:
                with open(scores_file) as f:
                    got = {}
                    for line in f:
                        i, v = line.rstrip("\n").split("\t")
                        got[i] = float(v)
                os.remove(scores_file)
                l1 = sum(abs(got[G.ids[k]] - ig_scores[k]) for k in range(len(G.ids)))
                mx = max(abs(got[G.ids[k]] - ig_scores[k]) for k in range(len(G.ids)))
                row.ok = l1 <= 1e-10
                row.check = "igraph: L1 %.1e, max |Δ| %.1e (allowed L1 1e-10)" % (l1, mx)
            except (OSError, KeyError, ValueError) as e:
                row.ok, row.check = False, "no scores from pathbench: %s" % e
        else:
            row.check = "certified L1 ≤ 1e-12 (PRPACK's observed accuracy)"
        add(row)


# igraph's PageRank compute time per graph, for the rows above.
ig_scores_time = {}


def print_report(args, tools, rows, info, mismatches, began, load_before):
    out = sys.stdout
    out.write("\n# coopgraph vs igraph %s vs networkx %s\n\n" % (ig.__version__, nx.__version__))
    uname = os.uname()
    out.write("machine: %s, %d cores, %s; Python %s; %s\n" % (
        cpu_model(), os.cpu_count(), mem_total(), sys.version.split()[0], go_version()))
    out.write("load average before %s, after %s (other processes share the machine)\n" % (
        "/".join("%.1f" % x for x in load_before), "/".join("%.1f" % x for x in os.getloadavg())))
    out.write("run: %s  (%.0f s); igraph with OMP_NUM_THREADS=%s\n" % (
        " ".join(["scripts/bench/run.py"] + sys.argv[1:]), time.time() - began, os.environ.get("OMP_NUM_THREADS")))
    if tools.coopgraph is None:
        out.write("\n!!! coopgraph does not build, its columns are empty: %s\n" % " | ".join(tools.build_error))
    elif not {"centrality", "communities", "components"} <= tools.cli:
        out.write("\n!!! coopgraph lacks commands: %s (coopgraph help)\n" %
                  ", ".join(sorted({"centrality", "communities", "components"} - tools.cli)))
    out.write("\ncoopgraph: whole process (start, load, compute, print), best of at least %d run(s) "
              "(fast ones repeated for 3 s, at most 5 runs); paths: in process, per query (median).\n"
              "igraph: compute alone on the graph in memory, best of at least %d run(s) (fast ones repeated for 2 s, "
              "at most 10 runs); networkx: compute alone, one run.\n"
              "ratio = other / coopgraph (above 1: coopgraph faster).\n\n" % (args.reps, args.reps))

    out.write("coopgraph in process (scripts/bench/pathbench, for information): load+snapshot = loader.LoadDir + "
              "graph.NewSnapshot; PageRank = one Centrality(PAGERANK) call.\n\n")
    out.write("| graph | nodes | relations | components (largest) | coopgraph load+snapshot | coopgraph PageRank in process "
              "| topology bytes/relation | coopgraph peak RSS |\n")
    out.write("|---|---:|---:|---:|---:|---:|---:|---:|\n")
    for gi in info:
        pb = gi.get("pathbench") or {}
        tb = pb.get("topology_bytes")
        out.write("| %s | %d | %d | %d (%d) | %s | %s | %s | %s |\n" % (
            gi["graph"], gi["nodes"], gi["relations"], gi["components"], gi["largest"],
            "%.2f s + %.2f s" % (pb["load_s"], pb["snapshot_s"]) if pb else "—",
            "%.3f s" % pb["pagerank_s"] if pb.get("pagerank_s") is not None else "—",
            "%.2f" % (tb / max(1, gi["relations"])) if tb is not None else "n/a (no TopologyBytes)",
            "%.0f MB" % (gi["coopgraph_peak_rss"] / 1e6) if gi.get("coopgraph_peak_rss") else "—"))

    out.write("\n| graph | measure | coopgraph | igraph | igraph/cg | networkx | nx/cg | check |\n")
    out.write("|---|---|---:|---:|---:|---:|---:|---|\n")
    for r in rows:
        ig_cell = fmt_time(r.ig, r.unit) + (" (%s)" % r.ig_label if r.ig_label else "")
        nx_cell = fmt_time(r.nx, r.unit) if r.nx is not None else ("skipped (%s)" % r.nx_label if r.nx_label else "—")
        out.write("| %s | %s | %s | %s | %s | %s | %s | %s%s |\n" % (
            r.graph, r.measure, fmt_time(r.cg, r.unit), ig_cell, fmt_ratio(r.ratio(r.ig)),
            nx_cell, fmt_ratio(r.ratio(r.nx)), "" if r.ok else "**", r.check))

    out.write("\n## Targets\n\n")
    goals = [("betweenness (exact)", 2.5), ("closeness", 2.5), ("pagerank (tolerance 1e-10, compute)", 3.0)]
    for measure, goal in goals:
        for r in rows:
            if r.measure == measure and r.cg and r.ig:
                ratio = r.ig / r.cg
                out.write("- %s %s: igraph/coopgraph %.2fx (target ≥ %.1fx) %s\n" % (
                    r.graph, measure, ratio, goal, "PASS" if ratio >= goal else "FAIL"))
    for r in rows:
        if r.measure.startswith("shortest path") and r.cg is not None:
            out.write("- %s shortest-path median %.1f µs (target < 1000 µs) %s\n" % (
                r.graph, r.cg, "PASS" if r.cg < 1000 else "FAIL"))
    for gi in info:
        tb = (gi.get("pathbench") or {}).get("topology_bytes")
        if tb is not None:
            bpr = tb / max(1, gi["relations"])
            out.write("- %s topology %.2f bytes/relation (target < 16) %s\n" % (gi["graph"], bpr, "PASS" if bpr < 16 else "FAIL"))

    if mismatches:
        out.write("\n!!! %d CHECK(S) FAILED:\n" % len(mismatches))
        for m in mismatches:
            out.write("!!!   %s\n" % m)
    else:
        out.write("\nall checks passed\n")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def mem_total():
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            return "%.0f GiB" % (kb / 2**20)
    except (OSError, ValueError, IndexError):
        return "? GiB"


def go_version():
    try:
        return subprocess.run(["go", "version"], stdout=subprocess.PIPE, text=True).stdout.split()[2]
    except (OSError, IndexError):
        return "go ?"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a ~2-minute smoke run: small graphs, fewer pairs, one run each")
    ap.add_argument("--graphs", help="comma-separated graph names (default: %s; --quick: %s)" % (
        ",".join(FULL_GRAPHS), ",".join(QUICK_GRAPHS)))
    ap.add_argument("--exact-max-nodes", type=int, help="exact betweenness and closeness up to this many nodes (default 20000)")
    ap.add_argument("--nx-exact-max-nodes", type=int, default=3000, help="networkx exact centrality up to (default %(default)s)")
    ap.add_argument("--nx-sampled-max-nodes", type=int, help="networkx sampled betweenness up to (default 70000; --quick 6000)")
    ap.add_argument("--nx-louvain-max-nodes", type=int, default=30000, help="networkx Louvain up to (default %(default)s)")
    ap.add_argument("--nx-max-nodes", type=int, default=300000, help="networkx PageRank, paths, components up to (default %(default)s)")
    ap.add_argument("--samples", type=int, default=100, help="sources of sampled betweenness (default %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="seed of generated graphs, pairs, sampling (default %(default)s)")
    ap.add_argument("--pairs", type=int, help="random pairs for shortest paths (default 1000; --quick 200)")
    ap.add_argument("--reps", type=int, help="runs per timing, the best counts (default 3; --quick 1)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds allowed per coopgraph process (default %(default)s)")
    ap.add_argument("--json", metavar="FILE", help="also write the raw results as JSON")
    args = ap.parse_args()
    q = args.quick
    def default(value, d):
        return d if value is None else value
    args.graphs = (args.graphs or ",".join(QUICK_GRAPHS if q else FULL_GRAPHS)).split(",")
    args.exact_max_nodes = default(args.exact_max_nodes, 20000)
    args.nx_sampled_max_nodes = default(args.nx_sampled_max_nodes, 6000 if q else 70000)
    args.pairs = max(1, default(args.pairs, 200 if q else 1000))
    args.reps = max(1, default(args.reps, 1 if q else 3))

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the temporary directory
    began, load_before = time.time(), os.getloadavg()
    tmp = tempfile.mkdtemp(prefix="coopgraph-bench-")
    try:
        log("building coopgraph, pathbench, gendata into %s" % tmp)
        tools = build_tools(tmp)
        if tools.coopgraph is None:
            log("!!! coopgraph does not build; timing igraph and networkx only:\n    " + "\n    ".join(tools.build_error))
        rows, mismatches, info = [], [], []
        for name in args.graphs:
            bench_graph(name.strip(), args, tools, rows, mismatches, info)
        print_report(args, tools, rows, info, mismatches, began, load_before)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"args": vars(args), "graphs": info, "rows": [r.__dict__ for r in rows],
                           "mismatches": mismatches}, f, indent=1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
