// The example queries shown as GraphiQL tabs on a first visit, one tab per
// question, for the three audiences of the README. GraphiQL names each tab
// after its operation, so every query is named. They use only fields of
// schema/schema.graphqls and ids of data/seed/*.yaml; the browser test
// (web/e2e) runs every one through the page and requires an answer with data
// and no error.

const analysts = [
  {
    query: `# Analysts: who is central? Organisations ranked by
# betweenness (how often they lie on the shortest paths
# between others), scores computed on the whole network.
# Try DEGREE, CLOSENESS, HARMONIC, PAGERANK or
# EIGENVECTOR, or kinds: ["Region"].
query Centrality {
  centrality(
    measure: BETWEENNESS
    kinds: ["Organisation"]
    first: 10
  ) {
    rank
    score
    entity { id name kind }
  }
}
`,
  },
  {
    query: `# Analysts: who partners with whom? The partners of the
# South Poland Cleantech Cluster, with the projects,
# networks and events they share, most shared first.
query Partners {
  partners(id: "spcleantech", first: 20) {
    count
    partner { id name kind }
    contexts { id name kind }
  }
}
`,
  },
  {
    query: `# Analysts: which groups work together? Louvain
# communities, largest first, with their modularity. A
# higher resolution gives smaller groups.
query Communities {
  communities(resolution: 1.0, seed: 1) {
    modularity
    count
    communities(first: 5) {
      index
      size
      members(first: 10) { id name kind }
    }
  }
}
`,
  },
];

const policyStaff = [
  {
    query: `# Policy staff: how could Opolskie reach Małopolska? The
# shortest indirect link, each hop with its relation,
# role, dates and the source document that states it.
# Change the ids in Variables (below) to ask about other
# entities; find ids with the search tab.
query ShortestPath($from: ID!, $to: ID!) {
  shortestPath(from: $from, to: $to) {
    length
    text
    nodes { id name kind }
    relations {
      type
      role
      start
      end
      from { name }
      to { name }
      document
      quote
    }
  }
}
`,
    variables: `{
  "from": "opolskie",
  "to": "malopolskie"
}
`,
  },
  {
    query: `# Policy staff: every shortest link between the two
# regions, not just one, each written out in words.
query AllShortestPaths {
  allShortestPaths(from: "opolskie", to: "malopolskie", first: 20) {
    length
    text
  }
}
`,
  },
  {
    query: `# Policy staff: find an entity and its id. Case and Polish
# letters do not matter: "Malopolska" finds "Małopolska",
# "Slaskie" finds "Śląskie".
query Search {
  search(text: "Malopolska", first: 10) {
    id
    kind
    name
    aliases
  }
}
`,
  },
];

const developers = [
  {
    query: `# Developers: where the data comes from. The credit lines
# the sources ask for: show them wherever you show or
# export their data. And the records an entity was made
# from: the linked network merges a region's or an
# organisation's records of several sources (seed, NUTS,
# CORDIS, keep.eu) into one entity, each record with the
# rule or curated link that merged it. A record's id finds
# the entity too: try "nuts:PL21".
query Sources {
  credits
  entity(id: "malopolskie") {
    id
    name
    aliases
    records { dataset id name place rule }
  }
}
`,
  },
  {
    query: `# Developers: one entity with everything known about it:
# aliases, properties, sourced facts, and its relations
# with their provenance (document and quote).
query Entity {
  entity(id: "malopolskie") {
    id
    kind
    name
    aliases
    properties { key value }
    facts { property value document quote }
    documents
    relations(first: 10) {
      id
      type
      role
      start
      end
      from { id name }
      to { id name }
      document
      quote
    }
  }
}
`,
  },
  {
    query: `# Developers: the schema describes itself. Every type,
# field and argument has a description; the Docs pane
# (book icon, left) shows the same. Try another type name:
# Entity, Relation, Query…
query Introspection {
  __type(name: "Path") {
    name
    description
    fields {
      name
      description
      type { kind name ofType { kind name } }
    }
  }
}
`,
  },
];

// In the README's order of audiences; the first tab is open on a first visit.
export const defaultTabs = [...analysts, ...policyStaff, ...developers];

// withCredits heads every example with the credit lines of the sources the
// server serves (Query.credits), as comments: whoever copies an example
// copies the credits with it.
export function withCredits(tabs, credits) {
  if (!credits.length) return tabs;
  const head = `# Data: ${credits.join(' · ')}\n`;
  return tabs.map((tab) => ({ ...tab, query: head + tab.query }));
}
