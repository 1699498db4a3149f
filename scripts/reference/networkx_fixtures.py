#!/usr/bin/python3
"""Reference values for package graph, computed with networkx.

Run with Debian's interpreter (python3-networkx, python3-scipy, python3-igraph):

    /usr/bin/python3 scripts/reference/networkx_fixtures.py

It writes graph/testdata/<name>.json, one file per dataset, which the Go
tests read (so `go test` needs no Python); the two large datasets (ba2000,
cordis-v4) go to <name>.json.gz, without path pairs. Each file holds

  * the dataset: entity ids and relations (id, type, from, to), relations
    oriented at random and numbered in shuffled order, so that neither
    direction nor relation-id order happens to follow node order;
  * the entities' kinds ("kinds": id -> kind) where the dataset has kinds
    (otherwise every entity is an Organisation);
  * one case per relation-type filter ([] = all types), each with
      - the six centralities of every node, from networkx's defaults:
        degree_centrality, betweenness_centrality, closeness_centrality,
        harmonic_centrality, pagerank (or the exception networkx raised),
        and eigenvector centrality as the engine defines it
        (eigenvector_reference: the principal eigenvector, checked against
        nx.eigenvector_centrality_numpy and igraph, with the rule for
        components that share the largest eigenvalue);
      - "PAGERANK_EXACT": the fixed point nx.pagerank iterates towards,
        solved directly: networkx's own Google matrix (nx.google_matrix,
        alpha 0.85) and numpy.linalg.solve on its stationary equations, for
        the engine's certified-tolerance PageRank (graph/pagerank_solve.go);
      - for a sample of node pairs: the shortest path length, the number of
        shortest paths in the MULTIgraph (each parallel relation a distinct
        edge: Neo4j's allShortestPaths count), the set of shortest node
        paths, and the multigraph paths in the engine's order;
  * "sampled": betweenness estimated from k sources (networkx's
    betweenness_centrality(G, k=k)) for given source lists: the sources are
    drawn here with random.Random(seed).sample, exactly as networkx draws
    them, and stored, so that the Go test runs the engine on the same
    sources (its own draw uses a Go PRNG); the script checks that the
    stored values are networkx's betweenness_centrality(G, k, seed) itself;
  * "ranked": rankings as Centrality returns them with a kinds filter
    and/or on a projection (see Projection in graph/projection.go:
    nx.bipartite.projected_graph of the bipartite graph between the
    entities of the projected kinds and those of the via kinds, unweighted):
    (id, score) pairs, score descending then id ascending.

Centrality is computed on the simple undirected graph the engine builds:

    G = nx.Graph(); G.add_nodes_from(ids); G.add_edges_from(kept relations)

Nodes are added in sorted id order and edges sorted by (min id, max id), so
that every adjacency list is in ascending id order. This does not change the
values beyond rounding, but it makes networkx add floating-point terms in
the same order the engine does, so most values agree bit for bit (any other
insertion order agrees to ~1e-15).

Multigraph counts are cross-checked with python-igraph, whose
get_all_shortest_paths returns a vertex path once per combination of
parallel edges.
"""

import gzip
import itertools
import json
import math
import os
import random
import sys
import warnings

import networkx as nx
import numpy
import scipy

try:
    import igraph
except ImportError:  # the cross-check is optional
    igraph = None

# nx.pagerank calls the deprecated pagerank_scipy in networkx 2.8.
warnings.simplefilter("ignore", DeprecationWarning)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "graph", "testdata")

MEASURES = {
    "DEGREE": nx.degree_centrality,
    "BETWEENNESS": nx.betweenness_centrality,
    "CLOSENESS": nx.closeness_centrality,
    "HARMONIC": nx.harmonic_centrality,
    "PAGERANK": nx.pagerank,
    "EIGENVECTOR": None,  # eigenvector_reference, below
}

MAX_NODE_PATHS = 5000  # pairs with more shortest node paths are skipped
FULL_PATHS = 12  # store every multigraph path up to this many, else a prefix
PREFIX_PATHS = 5
STORED_NODE_PATHS = 100


class Dataset:
    def __init__(self, name, description, seed=0):
        self.name = name
        self.description = description
        self.rng = random.Random(seed)
        self.entities = []
        self.edges = []  # (type, a, b) before ids are assigned
        self.kinds = {}  # id -> kind, when the dataset has kinds
        self.sampled = []  # (relation types, k, seed) of sampled betweenness cases
        self.ranked = []  # (measure, relation types, kinds, projection) of ranking cases
        # A large dataset is written gzipped (name.json.gz), without path
        # pairs: only the centrality tests read it.
        self.large = False

    def node(self, *ids):
        for i in ids:
            if i not in self.entities:
                self.entities.append(i)

    def edge(self, a, b, typ="COOPERATES_WITH"):
        self.node(a, b)
        self.edges.append((typ, a, b))

    def relations(self):
        """Relations with shuffled ids and random direction."""
        if not hasattr(self, "_rels"):
            order = list(range(len(self.edges)))
            self.rng.shuffle(order)
            width = len(str(len(self.edges)))
            rels = []
            for k, (typ, a, b) in enumerate(self.edges):
                if self.rng.random() < 0.5:
                    a, b = b, a
                rels.append({"id": "r%0*d" % (width, order[k]), "type": typ, "from": a, "to": b})
            rels.sort(key=lambda r: r["id"])
            self._rels = rels
        return self._rels


def from_nx(name, description, G, label, typ="COOPERATES_WITH", seed=0, extra_nodes=()):
    d = Dataset(name, description, seed)
    d.node(*[label(v) for v in G.nodes])
    d.node(*extra_nodes)
    for u, v in G.edges:
        d.edge(label(u), label(v), typ)
    return d


def simple_graph(ids, rels):
    """The engine's simple graph, built in sorted order (see module doc)."""
    G = nx.Graph()
    G.add_nodes_from(sorted(ids))
    G.add_edges_from(sorted({tuple(sorted((r["from"], r["to"]))) for r in rels}))
    return G


def pagerank_exact(G):
    """The stationary vector of networkx's Google matrix, solved directly:
    x (G - I) = 0 with one equation replaced by sum(x) = 1."""
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    M = numpy.asarray(nx.google_matrix(G, alpha=0.85, nodelist=nodes))
    A = M.T - numpy.eye(n)
    A[-1, :] = 1.0
    b = numpy.zeros(n)
    b[-1] = 1.0
    x = numpy.linalg.solve(A, b)
    return {str(nodes[i]): float(x[i]) for i in range(n)}


TIE = 1e-9  # components whose eigenvalues lie this close (relative) tie


def eigenvector_reference(G):
    """Eigenvector centrality as the engine defines it (graph/eigenvector.go):
    the principal eigenvector of A (a self-loop a diagonal 1), unit norm,
    non-negative. Per connected component, numpy.linalg.eigh of its dense
    adjacency gives its largest eigenvalue and Perron vector v_c; the
    components with the largest eigenvalue (within TIE) get
    <v_c, 1> v_c, the whole normalised (the projection of the all-ones
    vector on the eigenspace), the others 0.

    Cross-checked: where one component has the largest eigenvalue, against
    nx.eigenvector_centrality_numpy and igraph's
    eigenvector_centrality(scale=False) (within 1e-6, ARPACK's precision;
    igraph only on more than two nodes and without self-loops, which it
    counts twice);
    where several share it, against nx.eigenvector_centrality run until
    tol 1e-13 (the limit of its power iteration from the uniform vector)."""
    nodes = list(G)
    n = len(nodes)
    if G.number_of_edges() == 0:
        return {str(v): 1 / math.sqrt(n) for v in nodes}
    comps = []
    for c in nx.connected_components(G):
        c = sorted(c)
        A = nx.to_numpy_array(G, nodelist=c)
        w, V = numpy.linalg.eigh(A)
        v = V[:, -1]
        v = numpy.abs(v) / numpy.linalg.norm(v)
        comps.append((float(w[-1]), c, v))
    lam = max(c[0] for c in comps)
    x = {v: 0.0 for v in nodes}
    tied = 0
    for l, c, v in comps:
        if l >= lam * (1 - TIE):
            tied += 1
            weight = v.sum()
            for u, f in zip(c, v):
                x[u] = weight * f
    norm = math.sqrt(sum(f * f for f in x.values()))
    x = {v: f / norm for v, f in x.items()}
    if tied == 1:
        peers = [nx.eigenvector_centrality_numpy(G)] if n > 2 else []  # ARPACK needs n > 2
        # igraph counts a loop twice, and answers 1 on a single edge
        if igraph is not None and nx.number_of_selfloops(G) == 0 and n > 2:
            ig = igraph.Graph(n=n, edges=[(nodes.index(a), nodes.index(b)) for a, b in G.edges])
            peers.append(dict(zip(nodes, ig.eigenvector_centrality(scale=False))))
    else:
        peers = [nx.eigenvector_centrality(G, max_iter=100000, tol=1e-13)]
    for peer in peers:
        for v in nodes:
            if abs(abs(peer[v]) - x[v]) > 1e-6:
                raise AssertionError("eigenvector: %s = %r, a peer says %r" % (v, x[v], peer[v]))
    return x


MEASURES["EIGENVECTOR"] = eigenvector_reference


def centralities(G, measures=MEASURES):
    out, errors = {}, {}
    if measures is MEASURES:
        out["PAGERANK_EXACT"] = pagerank_exact(G)
    for m in measures:
        f = MEASURES[m]
        if len(G) == 0:
            # networkx raises NetworkXPointlessConcept for eigenvector on the
            # null graph; the engine returns no scores for every measure.
            out[m] = {}
            continue
        try:
            out[m] = {str(k): float(v) for k, v in f(G).items()}
        except nx.PowerIterationFailedConvergence as e:
            errors[m] = type(e).__name__
    return out, errors


def multiplicities(rels):
    mult = {}
    for r in rels:
        if r["from"] == r["to"]:
            continue  # a self-loop never lies on a shortest path
        key = tuple(sorted((r["from"], r["to"])))
        mult.setdefault(key, []).append(r["id"])
    for v in mult.values():
        v.sort()
    return mult


def igraph_count(ids, rels, a, b):
    index = {v: i for i, v in enumerate(ids)}
    g = igraph.Graph(n=len(ids), edges=[(index[r["from"]], index[r["to"]]) for r in rels])
    return len(g.get_all_shortest_paths(index[a], to=index[b]))


def pair_expectations(G, ids, rels, pairs):
    mult = multiplicities(rels)
    out = []
    for a, b in pairs:
        rec = {"from": a, "to": b}
        if not nx.has_path(G, a, b):
            rec.update(length=-1, total=0, nodePaths=[], paths=[], complete=True)
            out.append(rec)
            continue
        node_paths = []
        for p in nx.all_shortest_paths(G, a, b):
            node_paths.append(p)
            if len(node_paths) > MAX_NODE_PATHS:
                break
        if len(node_paths) > MAX_NODE_PATHS:
            continue
        node_paths.sort()  # Python compares str by code point = Go by UTF-8 bytes
        hops = [[mult[tuple(sorted(h))] for h in zip(p, p[1:])] for p in node_paths]
        total = 0
        for h in hops:
            c = 1
            for rs in h:
                c *= len(rs)
            total += c
        if igraph is not None:
            got = igraph_count(ids, rels, a, b)
            assert got == total, (a, b, got, total)
        paths = []
        for p, h in zip(node_paths, hops):
            for seq in itertools.product(*h):
                paths.append({"nodes": p, "relations": list(seq)})
                if len(paths) > FULL_PATHS:
                    break
            if len(paths) > FULL_PATHS:
                break
        complete = total <= FULL_PATHS
        if not complete:
            paths = paths[:PREFIX_PATHS]
        rec.update(length=len(node_paths[0]) - 1, total=total, paths=paths, complete=complete)
        rec["nodePaths"] = node_paths if len(node_paths) <= STORED_NODE_PATHS else None
        out.append(rec)
    return out


def sample_pairs(ids, rng, k=40):
    if len(ids) <= 12:
        return [(a, b) for a in ids for b in ids]
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(k)]
    pairs.append((ids[0], ids[0]))
    return pairs


def sampled_betweenness(G, sources):
    """nx.betweenness_centrality(G, k=len(sources)) for the given sources:
    networkx's own loop body and rescaling (networkx 2.8.8,
    networkx/algorithms/centrality/betweenness.py)."""
    from networkx.algorithms.centrality.betweenness import (
        _accumulate_basic, _rescale, _single_source_shortest_path_basic)
    bc = dict.fromkeys(G, 0.0)
    for s in sources:
        S, P, sigma, _ = _single_source_shortest_path_basic(G, s)
        bc, _ = _accumulate_basic(bc, S, P, sigma, s)
    return _rescale(bc, len(G), normalized=True, directed=False, k=len(sources), endpoints=False)


def sampled_cases(d, ids, rels):
    out = []
    for types, k, seed in d.sampled:
        kept = [r for r in rels if not types or r["type"] in types]
        G = simple_graph(ids, kept)
        sources = random.Random(seed).sample(list(G.nodes()), k)
        bc = sampled_betweenness(G, sources)
        # The same as networkx's sampled betweenness with that seed, which
        # draws seed.sample(list(G.nodes()), k) from random.Random(seed).
        assert bc == nx.betweenness_centrality(G, k=k, seed=seed), d.name
        out.append({"relationTypes": list(types), "k": k, "seed": seed, "sources": sources,
                    "betweenness": {str(v): float(x) for v, x in bc.items()}})
    return out


def projected_graph(ids, kinds, rels, proj):
    """The projection's simple graph, nodes and edges in sorted order."""
    side = {v for v in ids if kinds.get(v, "Organisation") in proj["kinds"]}
    via = {v for v in ids if v not in side and (not proj["via"] or kinds.get(v, "Organisation") in proj["via"])}
    B = nx.Graph()
    B.add_nodes_from(sorted(side | via))
    for r in rels:
        if proj["relationTypes"] and r["type"] not in proj["relationTypes"]:
            continue
        a, b = r["from"], r["to"]
        if (a in side and b in via) or (a in via and b in side):
            B.add_edge(a, b)
    P = nx.bipartite.projected_graph(B, sorted(side))
    G = nx.Graph()
    G.add_nodes_from(sorted(P))
    G.add_edges_from(sorted(tuple(sorted(e)) for e in P.edges))
    return G


def ranked_cases(d, ids, rels):
    out = []
    for m, types, kinds, proj in d.ranked:
        if proj is None:
            kept = [r for r in rels if not types or r["type"] in types]
            G = simple_graph(ids, kept)
        else:
            G = projected_graph(ids, d.kinds, rels, proj)
        scores, errors = centralities(G, [m])
        rec = {"measure": m, "relationTypes": list(types), "kinds": list(kinds), "projection": proj}
        if m in errors:
            rec["error"] = errors[m]
        else:
            pairs = [(v, x) for v, x in scores[m].items() if not kinds or d.kinds.get(v, "Organisation") in kinds]
            pairs.sort(key=lambda vx: (-vx[1], vx[0]))
            rec["scores"] = [[v, x] for v, x in pairs]
        out.append(rec)
    return out


def write(d, filters=((),)):
    ids = sorted(d.entities)
    rels = d.relations()
    rng = random.Random(len(ids) * 7919 + len(rels))
    cases = []
    for types in filters:
        kept = [r for r in rels if not types or r["type"] in types]
        G = simple_graph(ids, kept)
        scores, errors = centralities(G)
        cases.append({
            "relationTypes": list(types),
            "centrality": scores,
            "errors": errors,
            "pairs": [] if d.large else pair_expectations(G, ids, kept, sample_pairs(ids, rng)),
        })
    doc = {
        "name": d.name,
        "description": d.description,
        "reference": "networkx %s (python %s, numpy %s, scipy %s)" % (
            nx.__version__, sys.version.split()[0], numpy.__version__, scipy.__version__),
        "entities": ids,
        "relations": rels,
        "cases": cases,
    }
    if d.kinds:
        doc["kinds"] = {v: d.kinds[v] for v in ids}
    if d.sampled:
        doc["sampled"] = sampled_cases(d, ids, rels)
    if d.ranked:
        doc["ranked"] = ranked_cases(d, ids, rels)
    os.makedirs(OUT, exist_ok=True)
    if d.large:
        # gzip, without a timestamp: the same content gives the same bytes.
        path = os.path.join(OUT, d.name + ".json.gz")
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as z:
            z.write((json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
        return path
    path = os.path.join(OUT, d.name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    return path


def pad(prefix, n):
    width = len(str(n - 1))
    return lambda v: "%s%0*d" % (prefix, width, v)


def datasets():
    d = from_nx("karate", "Zachary's karate club (nx.karate_club_graph)",
                nx.karate_club_graph(), pad("k", 34), seed=1)
    d.sampled = [((), 10, 1), ((), 34, 2)]
    yield d, ((),)
    yield from_nx("florentine", "Padgett's Florentine families (nx.florentine_families_graph) plus the isolated Pucci",
                  nx.florentine_families_graph(), str, seed=2, extra_nodes=["Pucci"]), ((),)
    yield from_nx("petersen", "Petersen graph", nx.petersen_graph(), pad("p", 10), seed=3), ((),)
    yield from_nx("path10", "path graph P10", nx.path_graph(10), pad("v", 10), seed=4), ((),)
    yield from_nx("path20", "path graph P20: eigenvector power iteration does not converge in 100 steps",
                  nx.path_graph(20), pad("v", 20), seed=5), ((),)
    yield from_nx("star", "star K1,7", nx.star_graph(7), pad("s", 8), seed=6), ((),)
    yield from_nx("complete6", "complete graph K6", nx.complete_graph(6), pad("c", 6), seed=7), ((),)
    yield from_nx("cycle9", "cycle C9", nx.cycle_graph(9), pad("c", 9), seed=8), ((),)
    yield from_nx("barbell", "barbell graph (5, 2)", nx.barbell_graph(5, 2), pad("b", 12), seed=9), ((),)
    yield from_nx("lollipop", "lollipop graph (4, 3)", nx.lollipop_graph(4, 3), pad("l", 7), seed=10), ((),)
    yield from_nx("grid4x4", "4x4 grid: many symmetric nodes (ties)",
                  nx.convert_node_labels_to_integers(nx.grid_2d_graph(4, 4)), pad("g", 16), seed=11), ((),)
    yield from_nx("ladder5", "ladder graph L5: ties", nx.ladder_graph(5), pad("l", 10), seed=12), ((),)
    d = from_nx("gnp60", "G(n=60, p=0.08), seed 42: one isolated node",
                nx.gnp_random_graph(60, 0.08, seed=42), pad("n", 60), seed=13)
    d.sampled = [((), 7, 3), ((), 30, 4)]
    yield d, ((),)
    d = from_nx("ba100", "Barabasi-Albert n=100 m=2, seed 7",
                nx.barabasi_albert_graph(100, 2, seed=7), pad("n", 100), seed=14)
    d.sampled = [((), 1, 5), ((), 25, 6), ((), 99, 7)]
    yield d, ((),)
    # Larger graphs, where the order of floating-point sums matters more:
    # a scale-free graph, and real project-organisation data (below).
    d = from_nx("ba2000", "Barabasi-Albert n=2000 m=2, seed 11",
                nx.barabasi_albert_graph(2000, 2, seed=11), pad("n", 2000), seed=20)
    d.sampled = [((), 200, 8)]
    d.large = True
    yield d, ((),)

    # Disconnected: components of several shapes with interleaved ids, and
    # isolated nodes, which count in n for degree, closeness and betweenness.
    d = Dataset("disconnected", "triangle, path, star, K4 and three isolated nodes, ids interleaved", seed=15)
    comps = [nx.complete_graph(3), nx.path_graph(4), nx.star_graph(4), nx.complete_graph(4)]
    k = 0
    names = {}
    for ci, C in enumerate(comps):
        for v in C:
            names[(ci, v)] = "x%02d" % ((k * 7) % 19)
            k += 1
    for (ci, v), name in sorted(names.items()):
        d.node(name)
    for ci, C in enumerate(comps):
        for u, v in C.edges:
            d.edge(names[(ci, u)], names[(ci, v)])
    d.node("x%02d" % ((k * 7) % 19), "x%02d" % (((k + 1) * 7) % 19), "x%02d" % (((k + 2) * 7) % 19))
    yield d, ((),)

    # Components sharing the largest eigenvalue (2: every cycle, the star
    # K1,4), beside smaller ones: eigenvector centrality's tie rule.
    d = Dataset("eigen-ties", "cycles C3 and C5, star K1,4, path P3 and an isolated node", seed=21)
    for ci, C in enumerate([nx.cycle_graph(3), nx.cycle_graph(5), nx.star_graph(4), nx.path_graph(3)]):
        for u, v in C.edges:
            d.edge("c%d-%d" % (ci, u), "c%d-%d" % (ci, v))
    d.node("lone")
    yield d, ((),)

    # Two equal components (numpy's eigensolver answers an arbitrary vector
    # of the eigenspace) and a larger one alone, by relation type.
    d = Dataset("eigen-twins", "two K4 (MEMBER_OF) and a K5 (PARTICIPATES_IN) linked to one of them", seed=22)
    for ci in range(2):
        for u, v in nx.complete_graph(4).edges:
            d.edge("t%d-%d" % (ci, u), "t%d-%d" % (ci, v), "MEMBER_OF")
    for u, v in nx.complete_graph(5).edges:
        d.edge("k-%d" % u, "k-%d" % v, "PARTICIPATES_IN")
    d.edge("k-0", "t0-0", "PARTICIPATES_IN")
    yield d, ((), ("MEMBER_OF",), ("PARTICIPATES_IN",))

    # Bipartite project-organisation graph with parallel relations (the same
    # organisation in the same project under two roles, or stated by two
    # documents), cooperation between organisations in both directions, and
    # one self-loop.
    d = Dataset("projects", "projects and organisations: PARTICIPATES_IN with parallel relations, COOPERATES_WITH, a self-loop", seed=16)
    rng = random.Random(16)
    projects = ["project:%s" % p for p in ["ACCESS", "BIOREG", "CLUSTERS3", "DIGI", "EUSDR", "GREENLAB", "INNO", "S3CHEM"]]
    orgs = ["org:%02d" % i for i in range(25)]
    d.node(*projects, *orgs)
    for o in orgs:
        for p in rng.sample(projects, rng.randint(1, 3)):
            d.edge(o, p, "PARTICIPATES_IN")
            if rng.random() < 0.2:
                d.edge(p, o, "PARTICIPATES_IN")  # a parallel relation
    for _ in range(12):
        a, b = rng.sample(orgs, 2)
        d.edge(a, b, "COOPERATES_WITH")
        if rng.random() < 0.3:
            d.edge(b, a, "COOPERATES_WITH")
    d.edge("org:03", "org:03", "COOPERATES_WITH")
    d.node("org:isolated")
    d.kinds = {v: "Project" if v.startswith("project:") else "Organisation" for v in d.entities}
    d.sampled = [((), 11, 9), (("PARTICIPATES_IN",), 5, 10)]
    org_proj = {"kinds": ["Organisation"], "via": ["Project"], "relationTypes": []}
    d.ranked = [(m, (), ("Organisation",), None) for m in MEASURES] + [
        ("BETWEENNESS", ("PARTICIPATES_IN",), ("Project",), None),
        ("CLOSENESS", (), ("Project", "Organisation"), None),
    ] + [(m, (), (), org_proj) for m in MEASURES] + [
        ("BETWEENNESS", (), (), {"kinds": ["Organisation"], "via": [], "relationTypes": ["PARTICIPATES_IN"]}),
        ("HARMONIC", (), (), {"kinds": ["Project"], "via": ["Organisation"], "relationTypes": []}),
    ]
    yield d, ((), ("PARTICIPATES_IN",), ("COOPERATES_WITH",), ("COOPERATES_WITH", "PARTICIPATES_IN"))

    # Two relation types among regions and networks, non-ASCII ids (sorted
    # by UTF-8 bytes = code points), parallel relations and a self-loop.
    d = Dataset("regions", "regions and networks: MEMBER_OF and COOPERATES_WITH, non-ASCII ids", seed=17)
    regions = ["region:małopolska", "region:śląskie", "region:mazowieckie", "region:Łódzkie", "region:catalunya",
               "region:lombardia", "region:skåne", "region:île-de-france", "region:Zuid-Holland", "region:baden-württemberg"]
    networks = ["network:vanguard", "network:ERRIN", "network:euroregion-beskydy", "network:ECRN", "network:Četrnáct"]
    d.node(*regions, *networks)
    rng = random.Random(17)
    for r in regions:
        for n in rng.sample(networks, rng.randint(1, 3)):
            d.edge(r, n, "MEMBER_OF")
    for _ in range(9):
        a, b = rng.sample(regions, 2)
        d.edge(a, b, "COOPERATES_WITH")
    d.edge("region:małopolska", "network:vanguard", "COOPERATES_WITH")  # parallel to a MEMBER_OF, maybe
    d.edge("region:małopolska", "region:śląskie", "COOPERATES_WITH")
    d.edge("region:śląskie", "region:małopolska", "COOPERATES_WITH")
    d.edge("network:ERRIN", "network:ERRIN", "MEMBER_OF")
    d.kinds = {v: "Region" if v.startswith("region:") else "Network" for v in d.entities}
    reg_proj = {"kinds": ["Region"], "via": ["Network"], "relationTypes": ["MEMBER_OF"]}
    d.ranked = [(m, (), (), reg_proj) for m in MEASURES] + [
        ("DEGREE", (), ("Network",), None),
        ("PAGERANK", ("COOPERATES_WITH",), ("Region",), None),
    ]
    yield d, ((), ("MEMBER_OF",), ("COOPERATES_WITH",))

    d = cordis_dataset()
    if d is not None:
        yield d, ((), ("PARTICIPATES_IN",))

    # Tiny graphs: what networkx does at n <= 2, with self-loops, without edges.
    yield Dataset("empty", "no entities"), ((),)
    d = Dataset("single", "one entity")
    d.node("solo")
    yield d, ((),)
    d = Dataset("single-loop", "one entity with a self-loop")
    d.edge("solo", "solo")
    yield d, ((),)
    d = Dataset("pair-apart", "two entities, no relation")
    d.node("a", "b")
    yield d, ((),)
    d = Dataset("pair-parallel", "two entities joined by three parallel relations", seed=18)
    d.edge("a", "b")
    d.edge("b", "a")
    d.edge("a", "b", "MEMBER_OF")
    yield d, ((), ("MEMBER_OF",))
    d = Dataset("loops", "a path a-b-c with self-loops on a and c, and an isolated d", seed=19)
    d.node("a", "b", "c", "d")
    d.edge("a", "b")
    d.edge("b", "c")
    d.edge("a", "a")
    d.edge("c", "c")
    yield d, ((),)
    d = Dataset("no-edges", "five entities, no relations")
    d.node("e1", "e2", "e3", "e4", "e5")
    yield d, ((),)


CORDIS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "cordis-h2020", "participations.csv.gz")
V4 = ("CZ", "HU", "PL", "SK")


def cordis_dataset():
    """Real data: the CORDIS H2020 projects coordinated from a Visegrad
    country (PL, CZ, SK, HU), with all their participants (PARTICIPATES_IN)
    and each participant's country (LOCATED_IN). Many projects have a
    single partner and many partners a single project: mostly trees
    around a small core, 2.5k nodes. Skipped when the data is absent."""
    import csv
    import gzip
    if not os.path.exists(CORDIS):
        print("%s absent: no cordis-v4 fixture" % CORDIS, file=sys.stderr)
        return None
    with gzip.open(CORDIS, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    coordinated = {r["project_id"] for r in rows if r["role"] == "coordinator" and r["country"] in V4}
    d = Dataset("cordis-v4", "CORDIS H2020 projects coordinated from PL, CZ, SK or HU, all their participants "
                "(PARTICIPATES_IN) and the participants' countries (LOCATED_IN)", seed=21)
    located = set()
    for r in rows:
        if r["project_id"] not in coordinated:
            continue
        p, o = "proj:" + r["project_id"], "org:" + r["org_id"]
        d.kinds[p], d.kinds[o] = "Project", "Organisation"
        d.edge(o, p, "PARTICIPATES_IN")
        if r["country"] and o not in located:
            c = "country:" + r["country"]
            d.kinds[c] = "Country"
            d.edge(o, c, "LOCATED_IN")
            located.add(o)
    d.sampled = [((), 100, 11), (("PARTICIPATES_IN",), 500, 12)]
    org_proj = {"kinds": ["Organisation"], "via": ["Project"], "relationTypes": ["PARTICIPATES_IN"]}
    d.ranked = [
        ("BETWEENNESS", ("PARTICIPATES_IN",), ("Organisation",), None),
        ("CLOSENESS", (), ("Project",), None),
    ] + [(m, (), (), org_proj) for m in ("BETWEENNESS", "CLOSENESS", "HARMONIC", "PAGERANK")]
    d.large = True
    return d


def lcg_vector(seed, n):
    """n doubles from a 64-bit LCG, each (x >> 11)·2^-53 times a power of two
    picked from other bits: exact in any language, so the Go test rebuilds
    the same vector from (seed, n) and the fixture stays small."""
    x, v = seed, []
    for _ in range(n):
        x = (6364136223846793005 * x + 1442695040888963407) % 2**64
        v.append(math.ldexp(x >> 11, -53 - (x >> 3) % 24))
    return v


def float_vectors():
    """Results of the two library sums networkx's stopping tests use:
    CPython's math.hypot (eigenvector_centrality's norm) and numpy's sum
    (pagerank's error), which the engine reproduces bit for bit."""
    lengths = [0, 1, 2, 3, 7, 8, 9, 16, 100, 127, 128, 129, 1000, 8191, 8192, 8193, 20000, 50000]
    hypot, npsum = [], []
    for seed in (1, 2, 3):
        for n in lengths:
            v = lcg_vector(seed, n)
            hypot.append({"seed": seed, "n": n, "want": math.hypot(*v)})
            npsum.append({"seed": seed, "n": n, "want": float(numpy.array(v).sum())})
    # Subnormal inputs take CPython's other branch.
    sub = [5e-324 * k for k in range(1, 40)]
    doc = {"reference": "python %s math.hypot, numpy %s sum" % (sys.version.split()[0], numpy.__version__),
           "hypot": hypot, "npsum": npsum, "subnormal": {"v": sub, "want": math.hypot(*sub)}}
    path = os.path.join(OUT, "pyfloat.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    return path


def main():
    total = 0
    for d, filters in datasets():
        path = write(d, filters)
        size = os.path.getsize(path)
        total += size
        print("%-60s %8d bytes" % (os.path.relpath(path), size))
    path = float_vectors()
    total += os.path.getsize(path)
    print("%-60s %8d bytes" % (os.path.relpath(path), os.path.getsize(path)))
    print("total %d bytes; networkx %s, igraph %s" % (
        total, nx.__version__, igraph.__version__ if igraph else "absent (no cross-check)"))


if __name__ == "__main__":
    main()
