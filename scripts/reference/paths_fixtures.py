#!/usr/bin/python3
"""Reference values for the constrained, weighted and k-shortest paths of
package graph, computed with networkx.

Run with Debian's interpreter (python3-networkx 2.8.8):

    /usr/bin/python3 scripts/reference/paths_fixtures.py

It writes graph/testdata/paths_<name>.json, which graph/paths_fixtures_test.go
reads. Each file holds a dataset (entities with kinds; relations with type,
direction, dates and a "cost" property) and queries: a pair of entities and
PathOptions, with

  * cost, total, nodePaths, paths: the shortest paths under the options;
  * kShortest: the first k simple paths in the engine's order.

How each constraint is expressed in networkx:

  * RelationTypes and Window filter the relations in Python before the graph
    is built (dates parsed with datetime, independently of the engine: a
    relation is active over [start, end], "2013" starting 2013-01-01 and
    ending 2013-12-31, empty = open; it passes when start <= window.to and
    end >= window.from). Self-loops never lie on a path and are left out.
  * Kinds and Avoid are nx.subgraph_view(G, filter_node=...) keeping the two
    endpoints, entities of an allowed kind, and no avoided entity.
  * Weight PROPERTY: the "cost" property as edge weight, the least over
    parallel relations (nx.Graph keeps one edge per pair):
    nx.all_shortest_paths(H, s, t, weight="w"), nx.dijkstra_path_length.
    Costs are binary fractions (0.5, 1, 1.5, 2, 3), so sums are exact and
    networkx's exact tie test finds every tie.
  * Weight HUB: a path costs the sum over its intermediate entities x of
    ln deg(x), deg the simple degree over the kept relations (before the
    node filter). As a weight function of the arc (v, u) networkx passes in
    path direction, that is the node cost of u, 0 when u is the target. The
    reference computes it exactly as the PRODUCT of the degrees (class
    HubCost: "+" multiplies, comparisons compare integers), so that ties
    such as ln 3 + ln 5 = ln 5 + ln 3 are exact; the cost stored is
    ln(product). It is cross-checked with the additive transform to edge
    weights, w(u, v) = (h(u) + h(v)) / 2 with h = ln deg, 0 at the
    endpoints, and nx.dijkstra_path_length.
  * MaxHops: networkx has no hop-bounded weighted search, so the paths are
    nx.all_simple_paths(H, s, t, cutoff=maxHops) with exact costs, keeping
    the least.
  * Parallel relations: node paths are expanded into relation sequences
    (per hop, the kept parallel relations; with PROPERTY, those of least
    cost), in the engine's order (node ids, then relation ids).
  * k shortest: routes, that is node paths (parallel relations are one
    hop, carried by its cheapest relation, the first by id among equals):
    nx.shortest_simple_paths (Yen's algorithm) on simple graphs, read until
    the cost level of the k-th path is complete, sorted by (exact cost,
    node ids), first k. On multigraphs, or with MaxHops, nx.all_simple_paths
    with their least costs, sorted by (exact cost, node ids), first k.
"""

import calendar
import datetime
import itertools
import json
import math
import os
import random
import sys
from fractions import Fraction

import networkx as nx

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "graph", "testdata")

FULL_PATHS = 12  # store every shortest path up to this many, else a prefix
K = 10
MAX_SIMPLE_PATHS = 20000  # brute force gives up beyond this


class HubCost:
    """A WeightHub cost held as the product of the degrees it is the log of."""

    __slots__ = ("p",)

    def __init__(self, p=1):
        self.p = p

    @staticmethod
    def of(x):
        if isinstance(x, HubCost):
            return x
        assert x == 0, x  # networkx starts sums at 0
        return HubCost(1)

    def __add__(self, o):
        return HubCost(self.p * HubCost.of(o).p)

    __radd__ = __add__

    def __eq__(self, o):
        return self.p == HubCost.of(o).p

    def __lt__(self, o):
        return self.p < HubCost.of(o).p

    def __le__(self, o):
        return self.p <= HubCost.of(o).p

    def __gt__(self, o):
        return self.p > HubCost.of(o).p

    def __ge__(self, o):
        return self.p >= HubCost.of(o).p

    def __hash__(self):
        return hash(self.p)

    def __repr__(self):
        return "HubCost(%d)" % self.p


def day(s, last):
    if not s:
        return datetime.date.max if last else datetime.date.min
    parts = [int(x) for x in s.split("-")]
    y = parts[0]
    if len(parts) == 1:
        return datetime.date(y, 12, 31) if last else datetime.date(y, 1, 1)
    m = parts[1]
    if len(parts) == 2:
        return datetime.date(y, m, calendar.monthrange(y, m)[1]) if last else datetime.date(y, m, 1)
    return datetime.date(y, m, parts[2])


class Dataset:
    def __init__(self, name, description, seed):
        self.name = name
        self.description = description
        self.rng = random.Random(seed)
        self.kind = {}
        self.edges = []  # dicts without ids

    def node(self, id, kind):
        self.kind.setdefault(id, kind)

    def edge(self, a, b, typ="COOPERATES_WITH", start="", end="", cost="1"):
        self.edges.append({"type": typ, "from": a, "to": b, "start": start, "end": end, "cost": cost})

    def finish(self):
        """Relation ids in shuffled order, so that id order is not node order."""
        order = list(range(len(self.edges)))
        self.rng.shuffle(order)
        width = len(str(len(self.edges)))
        self.rels = []
        for k, e in enumerate(self.edges):
            r = {"id": "r%0*d" % (width, order[k]), "type": e["type"], "from": e["from"], "to": e["to"]}
            if e["start"]:
                r["start"] = e["start"]
            if e["end"]:
                r["end"] = e["end"]
            r["properties"] = {"cost": e["cost"]}
            self.rels.append(r)
        self.rels.sort(key=lambda r: r["id"])
        self.ids = sorted(self.kind)


def kept_relations(d, opt):
    types = opt.get("relationTypes") or []
    win = opt.get("window")
    out = []
    for r in d.rels:
        if r["from"] == r["to"] or types and r["type"] not in types:
            continue
        if win is not None:
            start, end = day(r.get("start", ""), False), day(r.get("end", ""), True)
            if not (start <= day(win.get("to", ""), True) and end >= day(win.get("from", ""), False)):
                continue
        out.append(r)
    return out


class Query:
    """The graphs networkx answers one query on."""

    def __init__(self, d, s, t, opt):
        self.d, self.s, self.t, self.opt = d, s, t, opt
        self.kept = kept_relations(d, opt)
        G = nx.Graph()
        G.add_nodes_from(d.ids)
        self.hops_of = {}  # (a, b) sorted -> [(id, cost fraction)] ascending id
        for r in self.kept:
            key = tuple(sorted((r["from"], r["to"])))
            self.hops_of.setdefault(key, []).append((r["id"], Fraction(r["properties"]["cost"])))
        for key, rs in self.hops_of.items():
            rs.sort()
            G.add_edge(*key, w=float(min(c for _, c in rs)))
        self.G = G
        self.simple = all(len(rs) == 1 for rs in self.hops_of.values())
        self.deg = dict(G.degree())
        kinds = set(opt.get("kinds") or [])
        avoid = set(opt.get("avoid") or [])

        def allowed(x):
            return x in (s, t) or (not kinds or d.kind[x] in kinds) and x not in avoid

        self.H = nx.subgraph_view(G, filter_node=allowed)
        self.weight = opt.get("weight", "")

    # Weight functions, called by networkx with (v, u, data) in path direction.
    def hub(self, v, u, data):
        return HubCost(1) if u == self.t else HubCost(self.deg[u])

    def hub_additive(self, u, v, data):
        h = lambda x: 0.0 if x in (self.s, self.t) else math.log(self.deg[x])
        return (h(u) + h(v)) / 2

    def nx_weight(self):
        return {"": None, "PROPERTY": "w", "HUB": self.hub}[self.weight]

    def exact_cost(self, nodes, rels=None):
        """The exact cost: hops (int), PROPERTY (Fraction), HUB (HubCost)."""
        if self.weight == "":
            return len(nodes) - 1
        if self.weight == "HUB":
            c = HubCost(1)
            for x in nodes[1:-1]:
                c = c + HubCost(self.deg[x])
            return c
        if rels is None:
            return sum(min(c for _, c in self.hops_of[tuple(sorted(h))]) for h in zip(nodes, nodes[1:]))
        cost = {rid: c for rs in self.hops_of.values() for rid, c in rs}
        return sum(cost[r] for r in rels)

    @staticmethod
    def float_cost(c):
        if isinstance(c, HubCost):
            return math.log(c.p) if c.p > 1 else 0.0
        return float(c)

    def choices(self, nodes):
        """Per hop, the relations a shortest path may take, ascending id."""
        out = []
        for h in zip(nodes, nodes[1:]):
            rs = self.hops_of[tuple(sorted(h))]
            if self.weight == "PROPERTY":
                least = min(c for _, c in rs)
                rs = [(i, c) for i, c in rs if c == least]
            out.append([i for i, _ in rs])
        return out

    def simple_paths(self, cutoff=None):
        """Every simple node path, or None beyond MAX_SIMPLE_PATHS."""
        paths = list(itertools.islice(nx.all_simple_paths(self.H, self.s, self.t, cutoff=cutoff), MAX_SIMPLE_PATHS + 1))
        return None if len(paths) > MAX_SIMPLE_PATHS else paths

    def shortest(self):
        s, t, H = self.s, self.t, self.H
        rec = {}
        hops = self.opt.get("maxHops", 0)
        if hops:
            paths = self.simple_paths(cutoff=hops)
            if paths is None:
                return None
            if not paths:
                return {"cost": None, "total": 0, "nodePaths": [], "paths": [], "complete": True}
            costs = [self.exact_cost(p) for p in paths]
            least = min(costs)
            node_paths = sorted(p for p, c in zip(paths, costs) if c == least)
        else:
            if not nx.has_path(H, s, t):
                return {"cost": None, "total": 0, "nodePaths": [], "paths": [], "complete": True}
            w = self.nx_weight()
            # A set: with HUB, a source of degree 1 costs ln 1 = 0 to
            # re-enter, and networkx's predecessor lists then give some
            # paths twice (no path of the engine re-enters its start).
            node_paths = sorted(set(map(tuple, nx.all_shortest_paths(H, s, t, weight=w))))
            node_paths = [list(p) for p in node_paths]
            if w is None:
                least = nx.shortest_path_length(H, s, t)
            else:
                least = nx.dijkstra_path_length(H, s, t, weight=w)
            for p in node_paths:
                assert self.exact_cost(p) == least, (p, least)
            if self.weight == "HUB":
                add = nx.dijkstra_path_length(H, s, t, weight=self.hub_additive)
                assert abs(add - self.float_cost(least)) < 1e-9, (add, least)
        rec["cost"] = self.float_cost(least)
        total, paths = 0, []
        for p in node_paths:
            ch = self.choices(p)
            n = 1
            for c in ch:
                n *= len(c)
            total += n
            for seq in itertools.product(*ch):
                if len(paths) > FULL_PATHS:
                    break
                paths.append({"nodes": p, "relations": list(seq)})
        rec["total"] = total
        rec["nodePaths"] = node_paths
        rec["complete"] = total <= FULL_PATHS
        rec["paths"] = paths[:FULL_PATHS]
        return rec

    def k_shortest(self, k):
        s, t = self.s, self.t
        hops = self.opt.get("maxHops", 0)
        if self.simple and not hops:
            if not nx.has_path(self.H, s, t):
                return [], "nx.shortest_simple_paths"
            got = []
            for p in nx.shortest_simple_paths(self.H, s, t, weight=self.nx_weight()):
                c = self.exact_cost(p)
                if len(got) >= k and c > got[k - 1][0]:
                    break
                got.append((c, p))
            got.sort(key=lambda x: (x[0], x[1]))
            out = [(c, p, [self.hops_of[tuple(sorted(h))][0][0] for h in zip(p, p[1:])]) for c, p in got[:k]]
            method = "nx.shortest_simple_paths"
        else:
            paths = self.simple_paths(cutoff=hops or None)
            if paths is None:
                return None, None
            # One candidate per route (node path): parallel relations are
            # one hop, carried by its cheapest relation, the first by id.
            cands = [(self.exact_cost(p), p, [c[0] for c in self.choices(p)]) for p in paths]
            cands.sort(key=lambda x: (x[0], x[1]))
            out = cands[:k]
            method = "nx.all_simple_paths"
        return [{"nodes": p, "relations": r, "cost": self.float_cost(c)} for c, p, r in out], method


def pairs(d, rng, n):
    ids = d.ids
    out = [(rng.choice(ids), rng.choice(ids)) for _ in range(n)]
    return [(a, b) for a, b in out if a != b]


def option_sets(d, hubs, windows, kinds, types):
    yield {}
    yield {"weight": "PROPERTY", "weightProperty": "cost"}
    yield {"weight": "HUB"}
    yield {"maxHops": 2}
    yield {"maxHops": 3, "weight": "PROPERTY", "weightProperty": "cost"}
    yield {"maxHops": 4, "weight": "HUB"}
    for w in windows:
        yield {"window": w}
    yield {"window": windows[0], "weight": "PROPERTY", "weightProperty": "cost"}
    yield {"window": windows[1], "weight": "HUB"}
    yield {"kinds": kinds}
    yield {"kinds": kinds, "weight": "HUB"}
    yield {"avoid": hubs}
    yield {"avoid": hubs[:1], "weight": "PROPERTY", "weightProperty": "cost"}
    yield {"relationTypes": types, "window": windows[0]}
    yield {"relationTypes": types, "kinds": kinds, "avoid": hubs[1:], "window": windows[2],
           "weight": "PROPERTY", "weightProperty": "cost", "maxHops": 5}


def queries(d, npairs, seed, windows, kinds, types):
    rng = random.Random(seed)
    G = nx.Graph()
    G.add_edges_from((r["from"], r["to"]) for r in d.rels if r["from"] != r["to"])
    hubs = [x for x, _ in sorted(G.degree(), key=lambda x: (-x[1], x[0]))[:3]]
    out = []
    for a, b in pairs(d, rng, npairs):
        for opt in option_sets(d, hubs, windows, kinds, types):
            opt = dict(opt)
            if "avoid" in opt:
                opt["avoid"] = [x for x in opt["avoid"] if x not in (a, b)]
            q = Query(d, a, b, opt)
            rec = q.shortest()
            if rec is None:
                continue
            ks, method = q.k_shortest(K)
            if ks is None:
                continue
            rec.update({"from": a, "to": b, "options": opt, "k": K, "kShortest": ks, "kReference": method})
            out.append(rec)
    return out


def write(d, qs):
    doc = {
        "name": "paths_" + d.name,
        "description": d.description,
        "reference": "networkx %s (python %s)" % (nx.__version__, sys.version.split()[0]),
        "graph": {
            "entities": [{"id": i, "kind": d.kind[i]} for i in d.ids],
            "relations": d.rels,
        },
        "queries": qs,
    }
    path = os.path.join(OUT, "paths_%s.json" % d.name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    return path


COSTS = ["0.5", "1", "1.5", "2", "3"]
KINDS = ["Organisation", "Project", "Network", "Region"]
TYPES = ["MEMBER_OF", "PARTICIPATES_IN", "COOPERATES_WITH"]


def random_date(rng):
    y = rng.randint(2005, 2024)
    form = rng.random()
    if form < 0.6:
        return "%04d" % y
    m = rng.randint(1, 12)
    if form < 0.8:
        return "%04d-%02d" % (y, m)
    return "%04d-%02d-%02d" % (y, m, rng.randint(1, calendar.monthrange(y, m)[1]))


def random_period(rng):
    """A start and an end (either may be missing), end not before start."""
    r = rng.random()
    if r < 0.25:
        return "", ""
    a, b = random_date(rng), random_date(rng)
    if day(b, True) < day(a, False):
        a, b = b, a
    if r < 0.4:
        return a, ""
    if r < 0.5:
        return "", b
    return a, b


WINDOWS = [{"from": "2015", "to": "2018"}, {"to": "2012-06"}, {"from": "2019-03-15"}, {"from": "2010-02", "to": "2010-02"}]


def datasets():
    # A random simple graph: kinds, types, dates and costs at random.
    d = Dataset("random", "G(40, 0.1), seed 3: random kinds, types, periods and costs; no parallel relations", 1)
    rng = random.Random(3)
    G = nx.gnp_random_graph(40, 0.1, seed=3)
    for v in G:
        d.node("n%02d" % v, rng.choice(KINDS))
    for u, v in G.edges:
        a, b = "n%02d" % u, "n%02d" % v
        if rng.random() < 0.5:
            a, b = b, a
        start, end = random_period(rng)
        d.edge(a, b, rng.choice(TYPES), start, end, rng.choice(COSTS))
    d.finish()
    yield d, queries(d, 14, 30, WINDOWS, ["Organisation", "Project"], ["MEMBER_OF", "COOPERATES_WITH"])

    # A grid, every relation of cost 1: many ties of every kind.
    d = Dataset("grid", "5x5 grid, every cost 1, kinds in stripes: ties for Yen, HUB and PROPERTY", 2)
    rng = random.Random(4)
    for x in range(5):
        for y in range(5):
            d.node("g%d%d" % (x, y), KINDS[(x + y) % 2])
    for x in range(5):
        for y in range(5):
            for dx, dy in ((1, 0), (0, 1)):
                if x + dx < 5 and y + dy < 5:
                    start, end = random_period(rng)
                    d.edge("g%d%d" % (x, y), "g%d%d" % (x + dx, y + dy), TYPES[(x * y) % 3], start, end, "1")
    d.finish()
    yield d, queries(d, 10, 40, WINDOWS, ["Organisation"], ["MEMBER_OF", "PARTICIPATES_IN"])

    # Zachary's karate club: hubs of every size for HUB.
    d = Dataset("karate", "Zachary's karate club: kinds by faction, costs and periods at random", 3)
    rng = random.Random(5)
    G = nx.karate_club_graph()
    for v in G:
        d.node("k%02d" % v, "Organisation" if G.nodes[v]["club"] == "Mr. Hi" else "Network")
    for u, v in G.edges:
        start, end = random_period(rng)
        d.edge("k%02d" % u, "k%02d" % v, rng.choice(TYPES), start, end, rng.choice(COSTS))
    d.finish()
    yield d, queries(d, 10, 50, WINDOWS, ["Organisation"], ["COOPERATES_WITH", "PARTICIPATES_IN"])

    # A cooperation network with parallel relations of different costs and
    # periods, self-loops and non-ASCII ids.
    d = Dataset("coop", "projects, networks, regions and organisations: parallel relations with different costs and periods, self-loops, non-ASCII ids", 4)
    rng = random.Random(6)
    regions = ["region:małopolska", "region:śląskie", "region:catalunya", "region:skåne", "region:île-de-france"]
    networks = ["network:vanguard", "network:ERRIN", "network:Četrnáct"]
    projects = ["project:SYMBI", "project:RESPONDET", "project:CLEANTECH", "project:DIGI", "project:ŁÓDŹ-LAB"]
    orgs = ["org:%02d" % i for i in range(14)]
    for x in regions:
        d.node(x, "Region")
    for x in networks:
        d.node(x, "Network")
    for x in projects:
        d.node(x, "Project")
    for x in orgs:
        d.node(x, "Organisation")
    d.node("programme:interreg", "Programme")
    for r in regions:
        for n in rng.sample(networks, rng.randint(1, 2)):
            d.edge(r, n, "MEMBER_OF", *random_period(rng), rng.choice(COSTS))
    for o in orgs:
        for p in rng.sample(projects, rng.randint(1, 2)):
            d.edge(o, p, "PARTICIPATES_IN", *random_period(rng), rng.choice(COSTS))
            if rng.random() < 0.3:  # a second role, another period, another cost
                d.edge(o, p, "PARTICIPATES_IN", *random_period(rng), rng.choice(COSTS))
        if rng.random() < 0.4:
            d.edge(o, rng.choice(regions), "PART_OF", *random_period(rng), rng.choice(COSTS))
    for p in projects:
        d.edge(p, "programme:interreg", "FUNDED_BY", *random_period(rng), rng.choice(COSTS))
        d.edge(rng.choice(regions), p, "PARTICIPATES_IN", *random_period(rng), rng.choice(COSTS))
    for _ in range(6):
        a, b = rng.sample(regions + orgs, 2)
        d.edge(a, b, "COOPERATES_WITH", *random_period(rng), rng.choice(COSTS))
        if rng.random() < 0.5:
            d.edge(b, a, "COOPERATES_WITH", *random_period(rng), rng.choice(COSTS))
    d.edge("org:03", "org:03", "COOPERATES_WITH", cost="2")
    d.node("org:isolated", "Organisation")
    d.finish()
    yield d, queries(d, 14, 60, WINDOWS, ["Organisation", "Project", "Region"], ["PARTICIPATES_IN", "MEMBER_OF", "COOPERATES_WITH"])


def main():
    total = 0
    for d, qs in datasets():
        path = write(d, qs)
        size = os.path.getsize(path)
        total += size
        print("%-50s %8d bytes, %d queries" % (os.path.relpath(path), size, len(qs)))
    print("total %d bytes; networkx %s" % (total, nx.__version__))


if __name__ == "__main__":
    main()
