#!/usr/bin/python3
"""Reference values for the structure analytics of package graph: partners
and projections, brokers (articulation points, bridges, what-if removal),
communities (modularity, Louvain) and connected components.

Run with Debian's interpreter (python3-networkx 2.8.8):

    /usr/bin/python3 scripts/reference/structure_fixtures.py

It writes graph/testdata/{partners,brokers,community,components}_*.json,
which the Go tests read (so `go test` needs no Python). Every file is

    {"name", "description", "reference", "entities": [], "relations": [],
     "graphs": [{"name", "description", "entities", "kinds", "relations",
                 ...family-specific expectations...}]}

The empty top-level "entities"/"relations" keep the file readable as a
dataset by the centrality/path fixture loader (which globs testdata/*.json);
it is an empty dataset with no cases there.

The graphs reuse the datasets of networkx_fixtures.py (same relations, same
ids), plus graphs of their own. Every value is computed on the graph the
engine builds, nx.Graph() over the kept relations (direction dropped,
parallel relations one edge, self-loops kept), nodes added in sorted id
order:

  * components: nx.connected_components;
  * brokers: nx.articulation_points, nx.bridges (with the ids of the kept
    relations between the two ends), and for a sample of nodes X the effect
    of G.remove_node(X) on nx.all_pairs_shortest_path_length within X's
    component;
  * community: nx.community.modularity of fixed partitions (networkx's own
    louvain_communities with seed 0, Zachary's 'club' split, planted
    partitions, singletons, everything in one, random labels) at
    resolutions 0.5, 1 and 2, and the mean, best and worst modularity and
    the mean number of communities louvain_communities(G, resolution, seed)
    finds over seeds 0-49;
  * partners and projections: nx.bipartite.weighted_projected_graph of the
    participant-context graph (partners) and of the Kinds-Via graph
    (projections), the shared neighbours listed by set intersection.

Partners follow the rule of graph/partners.go: x takes part in context c
when a counted relation (relationTypes, else DEFAULT_PARTNER_RELATIONS) runs
from x to c, c of a context kind, x != c, x of any kind but
NON_PARTNER_KINDS; the contexts of u are u itself when u is a context plus
every context u takes part in; the partners of u are the participants other
than u of its contexts. An entity can be both a participant and a context,
so the bipartite graph holds a participant copy ('p', id) and a context copy
('c', id) of it.

    /usr/bin/python3 scripts/reference/structure_fixtures.py [FAMILY...]

writes every family, or only the named ones (components, brokers,
community, partners).
"""

import json
import os
import random
import sys

import networkx as nx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import networkx_fixtures as nf  # noqa: E402  (the datasets both scripts share)

OUT = nf.OUT
REFERENCE = "networkx %s (python %s)" % (nx.__version__, sys.version.split()[0])
RESOLUTIONS = [0.5, 1.0, 2.0]
LOUVAIN_SEEDS = range(50)
MAX_CHANGES = 200  # what-if pairs stored in full up to this many, else a prefix
PREFIX_CHANGES = 50


def simple_graph(ids, rels, types=()):
    kept = [r for r in rels if not types or r["type"] in types]
    return nf.simple_graph(ids, kept), kept


def graph_doc(d, kinds=None):
    ids = sorted(d.entities)
    doc = {"name": d.name, "description": d.description, "entities": ids, "relations": d.relations()}
    if kinds is not None:
        doc["kinds"] = {i: kinds[i] for i in ids}
    return doc


def sorted_components(G):
    comps = [sorted(c) for c in nx.connected_components(G)]
    comps.sort(key=lambda c: (-len(c), c[0]))
    return comps


def write(family, source, description, graphs):
    doc = {"name": "%s_%s" % (family, source), "description": description, "reference": REFERENCE,
           "entities": [], "relations": [], "graphs": graphs}
    path = os.path.join(OUT, "%s_%s.json" % (family, source))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("%-60s %8d bytes" % (os.path.relpath(path), os.path.getsize(path)))


# ---------------------------------------------------------------- datasets

def shared_datasets():
    """The path/centrality datasets, with their relation-type filters."""
    return list(nf.datasets())


def extra_datasets():
    yield nf.from_nx("tree2x4", "balanced binary tree of depth 4: every inner node cuts",
                     nx.balanced_tree(2, 4), nf.pad("t", 31), seed=31), ((),)
    yield nf.from_nx("gnp80sparse", "G(n=80, p=0.03), seed 3: a forest-like graph with many bridges",
                     nx.gnp_random_graph(80, 0.03, seed=3), nf.pad("n", 80), seed=32), ((),)
    yield nf.from_nx("ws120", "connected Watts-Strogatz n=120 k=4 p=0.1, seed 5: long detours",
                     nx.connected_watts_strogatz_graph(120, 4, 0.1, seed=5), nf.pad("w", 120), seed=33), ((),)
    # Two triangles joined by a path whose middle link is doubled, and a
    # pendant held by three parallel relations of two types.
    d = nf.Dataset("parallel-bridges", "bridges carried by parallel relations", seed=34)
    for a, b in [("a1", "a2"), ("a2", "a3"), ("a3", "a1"), ("b1", "b2"), ("b2", "b3"), ("b3", "b1")]:
        d.edge(a, b)
    d.edge("a1", "m")
    d.edge("m", "b1")
    d.edge("b1", "m", "MEMBER_OF")
    d.edge("b2", "p", "MEMBER_OF")
    d.edge("p", "b2", "MEMBER_OF")
    d.edge("b2", "p")
    d.edge("p", "p")
    yield d, ((), ("COOPERATES_WITH",), ("MEMBER_OF",))


# -------------------------------------------------------------- components

def components_fixtures():
    graphs = []
    for d, filters in shared_datasets() + list(extra_datasets()):
        doc = graph_doc(d)
        doc["cases"] = []
        for types in filters:
            G, _ = simple_graph(doc["entities"], doc["relations"], types)
            doc["cases"].append({"relationTypes": list(types), "components": sorted_components(G)})
        graphs.append(doc)
    write("components", "networkx", "nx.connected_components on nx.Graph(kept relations)", graphs)


# ----------------------------------------------------------------- brokers

def what_if(G, x):
    comp = nx.node_connected_component(G, x)
    before = dict(nx.all_pairs_shortest_path_length(G.subgraph(comp)))
    H = G.subgraph(comp - {x})
    after = dict(nx.all_pairs_shortest_path_length(H))
    others = sorted(comp - {x})
    disconnected, longer = [], []
    for i, a in enumerate(others):
        for b in others[i + 1:]:
            if b not in after[a]:
                disconnected.append({"a": a, "b": b, "before": before[a][b], "after": -1})
            elif after[a][b] > before[a][b]:
                longer.append({"a": a, "b": b, "before": before[a][b], "after": after[a][b]})
            else:
                assert after[a][b] == before[a][b]
    longer.sort(key=lambda p: (-(p["after"] - p["before"]), p["a"], p["b"]))
    changes = disconnected + longer
    rec = {
        "entity": x,
        "disconnectedPairs": len(disconnected),
        "longerPairs": len(longer),
        "components": sorted((len(c) for c in nx.connected_components(H)), reverse=True),
        "complete": len(changes) <= MAX_CHANGES,
        "changes": changes if len(changes) <= MAX_CHANGES else changes[:PREFIX_CHANGES],
    }
    return rec


def broker_case(ids, rels, types, rng):
    G, kept = simple_graph(ids, rels, types)
    between = {}
    for r in kept:
        if r["from"] != r["to"]:
            between.setdefault(tuple(sorted((r["from"], r["to"]))), []).append(r["id"])
    bridges = sorted(tuple(sorted(e)) for e in nx.bridges(G))
    nodes = sorted(G.nodes)
    if len(nodes) <= 20:
        sample = nodes
    else:
        hubs = sorted(nodes, key=lambda v: (-G.degree(v), v))[:3]
        aps = sorted(nx.articulation_points(G))[:3]
        sample = sorted(set(hubs + aps + rng.sample(nodes, 6)))
    return {
        "relationTypes": list(types),
        "articulationPoints": sorted(nx.articulation_points(G)),
        "bridges": [{"a": a, "b": b, "relations": sorted(between[(a, b)])} for a, b in bridges],
        "whatIf": [what_if(G, x) for x in sample],
    }


def brokers_fixtures():
    graphs = []
    for d, filters in shared_datasets() + list(extra_datasets()):
        doc = graph_doc(d)
        rng = random.Random(len(doc["entities"]) * 31 + 7)
        doc["cases"] = [broker_case(doc["entities"], doc["relations"], types, rng) for types in filters]
        graphs.append(doc)
    write("brokers", "networkx",
          "nx.articulation_points, nx.bridges, and remove_node + all_pairs_shortest_path_length on nx.Graph(kept relations)",
          graphs)


# --------------------------------------------------------------- community

def community_datasets():
    """(dataset, filters, named partitions as {name: [[ids]]} or a function of G)"""
    karate = nx.karate_club_graph()
    label = nf.pad("k", 34)
    club = {}
    for v, data in karate.nodes(data=True):
        club.setdefault(data["club"], []).append(label(v))
    d = nf.from_nx("karate", "Zachary's karate club", karate, label, seed=1)
    yield d, ((),), {"club": sorted(sorted(c) for c in club.values())}, None

    yield nf.from_nx("florentine", "Florentine families plus the isolated Pucci", nx.florentine_families_graph(),
                     str, seed=2, extra_nodes=["Pucci"]), ((),), {}, None

    les = nx.Graph(nx.les_miserables_graph().edges())  # weights dropped: the engine is unweighted
    yield nf.from_nx("lesmis", "Les Misérables co-occurrences, unweighted", les, str, seed=41), ((),), {}, None

    # Planted partitions with strong structure: Louvain must recover them.
    pp = nx.planted_partition_graph(4, 32, 0.5, 0.01, seed=1)
    lp = nf.pad("pp", 128)
    planted = [sorted(lp(v) for v in range(k * 32, (k + 1) * 32)) for k in range(4)]
    yield nf.from_nx("planted4x32", "planted partition: 4 groups of 32, p_in 0.5, p_out 0.01, seed 1",
                     pp, lp, seed=42), ((),), {"planted": planted}, planted

    sizes = [40, 25, 30, 15]
    rp = nx.random_partition_graph(sizes, 0.4, 0.01, seed=2)
    lr = nf.pad("rp", sum(sizes))
    planted = sorted(sorted(lr(v) for v in block) for block in rp.graph["partition"])
    yield nf.from_nx("randpart", "random partition graph, blocks 40/25/30/15, p_in 0.4, p_out 0.01, seed 2",
                     rp, lr, seed=43), ((),), {"planted": planted}, planted

    rc = nx.ring_of_cliques(6, 6)
    lc = nf.pad("rc", 36)
    planted = [sorted(lc(v) for v in range(k * 6, (k + 1) * 6)) for k in range(6)]
    yield nf.from_nx("cliques6x6", "ring of 6 cliques of 6", rc, lc, seed=44), ((),), {"cliques": planted}, planted

    for d, filters in shared_datasets():
        if d.name in ("projects", "regions", "loops", "disconnected", "gnp60", "ba100", "barbell",
                      "single-loop", "no-edges", "empty", "pair-parallel"):
            yield d, filters, {}, None


def louvain_partition(G, gamma, seed):
    return sorted(sorted(c) for c in nx.community.louvain_communities(G, resolution=gamma, seed=seed))


def community_case(ids, rels, types, named, planted):
    G, _ = simple_graph(ids, rels, types)
    case = {"relationTypes": list(types), "partitions": [], "louvain": []}
    if planted is not None:
        case["planted"] = planted
    if G.number_of_edges() == 0:
        return case  # modularity divides by zero; Louvain gives singletons
    rng = random.Random(len(ids))
    fixed = dict(named)
    fixed["singletons"] = [[v] for v in sorted(G)]
    fixed["all"] = [sorted(G)]
    labels = {v: rng.randrange(3) for v in sorted(G)}
    fixed["random3"] = sorted(sorted(v for v in G if labels[v] == k) for k in range(3) if k in labels.values())
    for gamma in RESOLUTIONS:
        qs, ks = [], []
        for seed in LOUVAIN_SEEDS:
            p = louvain_partition(G, gamma, seed)
            qs.append(nx.community.modularity(G, p, resolution=gamma))
            ks.append(len(p))
            if seed == 0:
                fixed["louvain-%g-seed0" % gamma] = p
        case["louvain"].append({"resolution": gamma, "seeds": len(LOUVAIN_SEEDS),
                                "meanModularity": sum(qs) / len(qs), "bestModularity": max(qs),
                                "worstModularity": min(qs), "meanCommunities": sum(ks) / len(ks)})
    for name, p in sorted(fixed.items()):
        assert nx.community.is_partition(G, p), name
        case["partitions"].append({
            "name": name, "groups": p,
            "modularity": {"%g" % g: nx.community.modularity(G, p, resolution=g) for g in RESOLUTIONS},
        })
    return case


def community_fixtures():
    graphs = []
    for d, filters, named, planted in community_datasets():
        doc = graph_doc(d)
        doc["cases"] = [community_case(doc["entities"], doc["relations"], t, named, planted) for t in filters]
        graphs.append(doc)
    write("community", "networkx",
          "nx.community.modularity of fixed partitions; nx.community.louvain_communities(G, resolution, seed)",
          graphs)


# ---------------------------------------------------------------- partners

CONTEXT_KINDS = ["Project", "Network", "Event", "Agreement"]
NON_PARTNER_KINDS = ["Programme", "Strategy"]
DEFAULT_PARTNER_RELATIONS = ["MEMBER_OF", "PARTICIPATES_IN", "FOUNDED", "SIGNED", "ORGANISED", "COOPERATES_WITH"]


class DirectedDataset(nf.Dataset):
    """A dataset whose relations keep the direction they are written in
    (ids still shuffled): the partner rule reads direction."""

    def relations(self):
        if not hasattr(self, "_rels"):
            order = list(range(len(self.edges)))
            self.rng.shuffle(order)
            width = len(str(len(self.edges)))
            rels = [{"id": "r%0*d" % (width, order[k]), "type": typ, "from": a, "to": b}
                    for k, (typ, a, b) in enumerate(self.edges)]
            rels.sort(key=lambda r: r["id"])
            self._rels = rels
        return self._rels


def cooperation_dataset():
    """A small cooperation network of every kind, relations written in the
    vocabulary's direction (participant -> context), with relations out of
    contexts (FUNDED_BY, LOCATED_IN, PART_OF, CONCERNS), contexts taking part
    in contexts (a network in a project, a network in a network, a project in
    a project), describing relations into contexts (PRESENTED, SUPPORTS,
    PART_OF, CONCERNS), a few relations written backwards (a context
    PARTICIPATES_IN an organisation: nobody takes part in anything by it),
    parallel relations, self-loops and non-ASCII ids."""
    rng = random.Random(51)
    d = DirectedDataset("cooperation", "regions, organisations, people, networks, projects, events, agreements, programmes, cities", seed=51)
    kinds = {}

    def ent(kind, *ids):
        for i in ids:
            kinds[i] = kind
        d.node(*ids)

    regions = ["region:małopolska", "region:śląskie", "region:catalunya", "region:skåne", "region:häme", "region:lombardia"]
    orgs = ["org:%02d" % i for i in range(18)] + ["org:ąę-lonely"]
    people = ["person:anna", "person:jan", "person:łucja"]
    networks = ["network:vanguard", "network:ERRIN", "network:nereus"]
    projects = ["project:SYMBI", "project:RESPONDET", "project:ITHACA", "project:START", "project:empty"]
    events = ["event:brussels-2019", "event:kraków-2022"]
    agreements = ["agreement:southern-poland"]
    programmes = ["programme:interreg-europe", "programme:horizon"]
    cities = ["city:kraków", "city:bruxelles"]
    strategies = ["strategy:resolution", "strategy:ris3"]
    ent("Region", *regions)
    ent("Organisation", *orgs)
    ent("Person", *people)
    ent("Network", *networks)
    ent("Project", *projects)
    ent("Event", *events)
    ent("Agreement", *agreements)
    ent("Programme", *programmes)
    ent("City", *cities)
    ent("Strategy", *strategies)

    actors = regions + orgs[:-1]
    for p in projects[:-1]:
        for a in rng.sample(actors, rng.randint(3, 7)):
            d.edge(a, p, "PARTICIPATES_IN")
            if rng.random() < 0.15:
                d.edge(a, p, "PARTICIPATES_IN")  # under a second role
        d.edge(p, rng.choice(programmes), "FUNDED_BY")
    for n in networks:
        for a in rng.sample(actors, rng.randint(3, 6)):
            d.edge(a, n, "MEMBER_OF")
    d.edge("region:małopolska", "network:vanguard", "FOUNDED")
    d.edge("region:małopolska", "network:vanguard", "MEMBER_OF")
    d.edge("org:03", "network:ERRIN", "SUPPORTS")
    d.edge("project:START", "network:vanguard", "PART_OF")  # a context inside a context
    d.edge("network:ERRIN", "project:ITHACA", "PARTICIPATES_IN")  # a network as a project partner
    d.edge("network:vanguard", "programme:horizon", "CONCERNS")
    for e in events:
        for p in rng.sample(people, 2):
            d.edge(p, e, "PARTICIPATES_IN")
        d.edge(rng.choice(orgs[:-1]), e, "ORGANISED")
        d.edge(e, "city:kraków" if "kraków" in e else "city:bruxelles", "LOCATED_IN")
    d.edge("person:anna", "project:SYMBI", "PRESENTED")
    d.edge("person:anna", "region:małopolska", "WORKS_FOR")
    for r in ["region:małopolska", "region:śląskie"]:
        d.edge(r, "agreement:southern-poland", "SIGNED")
    d.edge("person:jan", "agreement:southern-poland", "SIGNED")
    for _ in range(6):
        a, b = rng.sample(orgs[:-1], 2)
        d.edge(a, b, "COOPERATES_WITH")
    d.edge("org:05", "city:kraków", "LOCATED_IN")
    # Non-partner kinds pointing at contexts: never partners.
    d.edge("strategy:resolution", "network:nereus", "CONCERNS")
    d.edge("programme:horizon", "network:ERRIN", "SUPPORTS")
    # A strategy signed by regions: a context when contextKinds names it.
    for r in ["region:małopolska", "region:catalunya", "region:skåne"]:
        d.edge(r, "strategy:ris3", "SIGNED")
    d.edge("org:07", "strategy:ris3", "PRESENTED")
    d.edge("org:06", "city:kraków", "LOCATED_IN")
    # Contexts taking part in contexts, and what must not count.
    d.edge("network:nereus", "network:vanguard", "MEMBER_OF")  # a network in a network
    d.edge("network:vanguard", "network:nereus", "COOPERATES_WITH")  # a mutual pair of contexts
    d.edge("project:START", "project:SYMBI", "PARTICIPATES_IN")  # a project in a project
    d.edge("project:ITHACA", "project:ITHACA", "PARTICIPATES_IN")  # a self-loop: x != c
    d.edge("network:ERRIN", "network:ERRIN", "MEMBER_OF")
    d.edge("event:kraków-2022", "project:RESPONDET", "PART_OF")  # describes: no participant
    d.edge("org:09", "project:START", "SUPPORTS")
    d.edge("org:10", "event:brussels-2019", "PRESENTED")
    d.edge("org:11", "network:nereus", "REPRESENTS")
    d.edge("project:SYMBI", "org:12", "PARTICIPATES_IN")  # written backwards: no participant
    d.edge("network:nereus", "region:häme", "MEMBER_OF")
    d.edge("person:łucja", "network:ERRIN", "WORKS_FOR")
    d.edge("person:łucja", "event:kraków-2022", "ORGANISED")
    d.edge("programme:horizon", "project:ITHACA", "PARTICIPATES_IN")  # a programme takes part in nothing
    d.edge("strategy:ris3", "agreement:southern-poland", "SIGNED")
    d.edge("agreement:southern-poland", "strategy:ris3", "CONCERNS")  # a context in a strategy
    return d, kinds


def projects_dataset():
    for d, _ in shared_datasets():
        if d.name == "projects":
            kinds = {}
            for i in d.entities:
                kinds[i] = "Project" if i.startswith("project:") else "Organisation"
            return d, kinds
    raise SystemExit("networkx_fixtures.py has no projects dataset")


def partner_graph(ids, kinds, rels, ctx_kinds, types):
    """The participant-context bipartite graph B: a participant copy ('p', x)
    of every entity of a kind not in NON_PARTNER_KINDS, a context copy
    ('c', c) of every entity of a context kind (an entity can have both),
    and an edge ('p', x) - ('c', c) for every counted relation from x to c,
    x != c."""
    B = nx.Graph()
    participants = [("p", v) for v in ids if kinds[v] not in NON_PARTNER_KINDS]
    contexts = [("c", v) for v in ids if kinds[v] in ctx_kinds]
    B.add_nodes_from(participants, bipartite=0)
    B.add_nodes_from(contexts, bipartite=1)
    for r in rels:
        if r["type"] not in types:
            continue
        x, c = ("p", r["from"]), ("c", r["to"])
        if r["from"] != r["to"] and x in B and c in B:
            B.add_edge(x, c)
    return B, participants, contexts


def partners_case(ids, kinds, rels, opt, sample_pairs):
    ctx_kinds = opt.get("contextKinds") or CONTEXT_KINDS
    types = opt.get("relationTypes") or DEFAULT_PARTNER_RELATIONS
    B, participants, contexts = partner_graph(ids, kinds, rels, ctx_kinds, types)
    # Partners through the contexts both take part in: the projection.
    P = nx.bipartite.weighted_projected_graph(B, participants)
    partners = {}
    for u in ids:
        pu, cu = ("p", u), ("c", u)
        if pu not in B:
            partners[u] = []  # a non-partner kind: no partners, even as a context
            continue
        shared = {}
        for px in P[pu]:
            common = sorted(c for _, c in set(B[pu]) & set(B[px]))
            assert len(common) == P[pu][px]["weight"]
            shared[px[1]] = common
        # ... and through u itself, when it is a context: its participants.
        if cu in B:
            for _, x in B[cu]:
                assert x != u
                shared[x] = sorted(shared.get(x, []) + [u])
        rows = [{"id": x, "contexts": c} for x, c in shared.items()]
        rows.sort(key=lambda r: (-len(r["contexts"]), r["id"]))
        partners[u] = rows
    common = []
    for a, b in sample_pairs:
        pa = {r["id"]: r["contexts"] for r in partners[a]}
        pb = {r["id"]: r["contexts"] for r in partners[b]}
        rows = [{"id": x, "withA": pa[x], "withB": pb[x]} for x in pa if x in pb and x not in (a, b)]
        rows.sort(key=lambda r: (-(len(r["withA"]) + len(r["withB"])), r["id"]))
        common.append({"a": a, "b": b, "partners": rows})
    return {"contextKinds": opt.get("contextKinds", []), "relationTypes": opt.get("relationTypes", []),
            "partners": partners, "common": common}


def projection_case(ids, kinds, rels, spec):
    side = [v for v in ids if kinds[v] in spec["kinds"]]
    via_kinds = spec.get("via") or sorted(set(kinds.values()) - set(spec["kinds"]))
    via = [v for v in ids if kinds[v] in via_kinds]
    types = spec.get("relationTypes") or []
    B = nx.Graph()
    B.add_nodes_from(side, bipartite=0)
    B.add_nodes_from(via, bipartite=1)
    side_set, via_set = set(side), set(via)
    for r in rels:
        if types and r["type"] not in types:
            continue
        a, b = r["from"], r["to"]
        if a in side_set and b in via_set or a in via_set and b in side_set:
            B.add_edge(a, b)
    P = nx.bipartite.weighted_projected_graph(B, side) if via else nx.empty_graph(side)
    edges = []
    for a, b, w in P.edges(data="weight"):
        a, b = min(a, b), max(a, b)
        shared = sorted(set(B[a]) & set(B[b]))
        assert len(shared) == w
        edges.append({"a": a, "b": b, "weight": w, "contexts": shared})
    edges.sort(key=lambda e: (-e["weight"], e["a"], e["b"]))
    out = dict(spec)
    out["nodes"] = side
    out["edges"] = edges
    return out


def partners_fixtures():
    graphs = []
    d, kinds = cooperation_dataset()
    doc = graph_doc(d, kinds)
    ids, rels = doc["entities"], doc["relations"]
    rng = random.Random(52)
    pairs = [("region:małopolska", "region:śląskie"), ("org:00", "org:01"), ("region:małopolska", "region:małopolska"),
             ("project:SYMBI", "region:małopolska"), ("person:anna", "person:jan"),
             ("network:ERRIN", "project:ITHACA"), ("network:nereus", "network:vanguard"),
             ("project:START", "project:SYMBI"), ("programme:horizon", "project:ITHACA")]
    pairs += [tuple(rng.sample(ids, 2)) for _ in range(12)]
    every_type = sorted({r["type"] for r in rels})
    options = [{}, {"contextKinds": ["Project"]}, {"relationTypes": ["PARTICIPATES_IN"]},
               {"contextKinds": ["Network", "Agreement"], "relationTypes": ["MEMBER_OF", "SIGNED", "FOUNDED"]},
               {"contextKinds": ["Project", "Programme"]}, {"contextKinds": ["Strategy", "Agreement"]},
               {"contextKinds": ["Project", "Programme"], "relationTypes": ["FUNDED_BY", "PARTICIPATES_IN"]},
               {"relationTypes": every_type},
               {"contextKinds": ["Network"], "relationTypes": ["MEMBER_OF", "COOPERATES_WITH"]},
               {"contextKinds": ["Region", "City"], "relationTypes": ["PART_OF", "LOCATED_IN", "WORKS_FOR"]}]
    doc["partnerCases"] = [partners_case(ids, kinds, rels, o, pairs) for o in options]
    specs = [{"kinds": ["Organisation"]},
             {"kinds": ["Organisation", "Region"], "via": ["Project"]},
             {"kinds": ["Project"], "via": ["Organisation", "Region"]},
             {"kinds": ["Region"], "via": ["Network"], "relationTypes": ["MEMBER_OF"]},
             {"kinds": ["Organisation", "Region"], "via": ["Project", "Network"], "relationTypes": ["PARTICIPATES_IN", "MEMBER_OF"]},
             {"kinds": ["Person"]},
             {"kinds": ["Region"], "via": ["Strategy"]}]
    doc["projections"] = [projection_case(ids, kinds, rels, s) for s in specs]
    graphs.append(doc)

    d, kinds = projects_dataset()
    doc = graph_doc(d, kinds)
    ids, rels = doc["entities"], doc["relations"]
    rng = random.Random(53)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(15)]
    options = [{}, {"relationTypes": ["PARTICIPATES_IN"]}, {"relationTypes": ["COOPERATES_WITH"]},
               {"contextKinds": ["Project"], "relationTypes": ["PARTICIPATES_IN", "COOPERATES_WITH"]}]
    doc["partnerCases"] = [partners_case(ids, kinds, rels, o, pairs) for o in options]
    specs = [{"kinds": ["Organisation"], "via": ["Project"]},
             {"kinds": ["Organisation"], "via": ["Project"], "relationTypes": ["PARTICIPATES_IN"]},
             {"kinds": ["Project"]},
             {"kinds": ["Organisation"], "relationTypes": ["COOPERATES_WITH"]}]
    doc["projections"] = [projection_case(ids, kinds, rels, s) for s in specs]
    graphs.append(doc)
    write("partners", "networkx",
          "partners: nx.bipartite.weighted_projected_graph of the ('p', participant) - ('c', context) graph "
          "plus a context's own participants; "
          "projections: nx.bipartite.weighted_projected_graph of the Kinds-Via graph",
          graphs)


FAMILIES = {"components": components_fixtures, "brokers": brokers_fixtures,
            "community": community_fixtures, "partners": partners_fixtures}


def main():
    names = sys.argv[1:] or list(FAMILIES)
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        raise SystemExit("unknown family %s; known: %s" % (", ".join(unknown), ", ".join(FAMILIES)))
    for n in names:
        FAMILIES[n]()


if __name__ == "__main__":
    main()
