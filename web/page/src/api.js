// The page's questions to coopgraph's GraphQL API (same origin, POST
// /graphql). Every query is named, so that logs and metrics tell them apart.

// APIError is an error the API answered with: its message, its
// extensions.code (INVALID_ARGUMENT, NOT_FOUND, LIMIT_EXCEEDED,
// UNAVAILABLE, …; NETWORK when the server could not be reached) and, for
// UNAVAILABLE, the seconds the server asked to wait before trying again
// (Retry-After; 0 when it named none).
export class APIError extends Error {
  constructor(message, code, retryAfter = 0) {
    super(message);
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

// aborted tells a request the page gave up on (AbortController) from a
// failure.
export function aborted(err) {
  return err?.name === 'AbortError';
}

// ask sends one named query; signal (an AbortSignal) lets the page give up
// on it, which also tells the server to stop its work (the request's
// context ends when its client leaves).
async function ask(operationName, query, variables = {}, { signal } = {}) {
  let res;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ operationName, query, variables }),
      signal,
    });
  } catch (err) {
    if (aborted(err)) throw err;
    throw new APIError(err?.message ?? String(err), 'NETWORK');
  }
  const retryAfter = Number.parseInt(res.headers.get('Retry-After') ?? '', 10) || 0;
  let body;
  try {
    body = await res.json();
  } catch (err) {
    if (aborted(err)) throw err;
    throw new APIError(`HTTP ${res.status}`, res.status === 503 ? 'UNAVAILABLE' : 'INTERNAL', retryAfter);
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new APIError(e.message, e.extensions?.code ?? 'INTERNAL', retryAfter);
  }
  if (!res.ok) throw new APIError(`HTTP ${res.status}`, 'INTERNAL', retryAfter);
  return body.data;
}

const entityFields = 'id kind name';
const relationFields = 'id type fromId toId role start end';

export async function overview() {
  const d = await ask(
    'PageOverview',
    `query PageOverview {
  overview { entities relations kinds { kind count } relationTypes { type count } }
  credits
}`,
  );
  return { ...d.overview, credits: d.credits };
}

export async function network(max) {
  const d = await ask(
    'PageNetwork',
    `query PageNetwork($max: Int!) {
  network(max: $max) { entities { ${entityFields} } relations { ${relationFields} } }
}`,
    { max },
  );
  return d.network;
}

export async function subgraph(ids) {
  const d = await ask(
    'PageSubgraph',
    `query PageSubgraph($ids: [ID!]!) {
  subgraph(ids: $ids) { entities { ${entityFields} } relations { ${relationFields} } }
}`,
    { ids },
  );
  return d.subgraph;
}

export async function suggest(text, first = 8) {
  const d = await ask(
    'PageSuggest',
    `query PageSuggest($text: String!, $first: Int!) {
  search(text: $text, first: $first) { ${entityFields} aliases }
}`,
    { text, first },
  );
  return d.search;
}

export async function details(id, first = 200) {
  const d = await ask(
    'PageDetails',
    `query PageDetails($id: ID!, $first: Int!) {
  entity(id: $id) {
    ${entityFields} aliases documents
    properties { key value }
    facts { property value document quote }
    records { dataset id name place rule }
    relationsConnection(first: $first) {
      totalCount
      edges { node { ${relationFields} document quote from { ${entityFields} } to { ${entityFields} } } }
    }
  }
}`,
    { id, first },
  );
  return d.entity;
}

export async function neighbours(id, first, after) {
  const d = await ask(
    'PageNeighbours',
    `query PageNeighbours($id: ID!, $first: Int!, $after: String) {
  entity(id: $id) {
    neighboursConnection(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${entityFields} } }
    }
  }
}`,
    { id, first, after: after ?? null },
  );
  return d.entity.neighboursConnection;
}

export async function entities(ids) {
  const d = await ask(
    'PageEntities',
    `query PageEntities($ids: [ID!]!) { subgraph(ids: $ids) { entities { ${entityFields} } } }`,
    { ids },
  );
  return d.subgraph.entities;
}

// Each hop carries every relation between its two entities (its sources).
const pathFields = `length nodes { ${entityFields} } relations { ${relationFields} document quote } hops { relations { ${relationFields} document quote } }`;

// pathVars are the path finder's options as the API's arguments.
function pathVars({ from, to, maxHops, avoid, year, relationTypes }) {
  return {
    from,
    to,
    maxHops: maxHops || null,
    avoid: avoid ? [avoid] : null,
    activeFrom: year ? String(year) : null,
    activeTo: year ? String(year) : null,
    relationTypes: relationTypes?.length ? relationTypes : null,
  };
}

const pathArgs = '$from: ID!, $to: ID!, $maxHops: Int, $avoid: [ID!], $activeFrom: String, $activeTo: String, $relationTypes: [String!]';
const pathPass = 'from: $from, to: $to, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo, relationTypes: $relationTypes';

// maxListedPaths is the most shortest paths allShortestPaths lists (its
// first's limit); the layered subgraph holds them all however many.
export const maxListedPaths = 1000;

// shortestPaths asks for every shortest path as one layered subgraph
// (null when the two are not connected), with its number of paths, and
// the first of them one by one (at most first, each hop with all its
// parallel relations). withSub false asks for the paths only (a further
// page of the list).
export async function shortestPaths(opts, first, { withSub = true, signal } = {}) {
  const d = await ask(
    'PageShortestPaths',
    `query PageShortestPaths(${pathArgs}, $first: Int!, $withSub: Boolean!) {
  sub: shortestPathSubgraph(${pathPass}) @include(if: $withSub) {
    length pathCount layers { position entities { ${entityFields} } } links { position from { id } to { id } relations { id type } }
  }
  all: allShortestPaths(${pathPass}, first: $first) { ${pathFields} }
}`,
    { ...pathVars(opts), first, withSub },
    { signal },
  );
  return { sub: d.sub ?? null, all: d.all };
}

// kPaths asks for the k shortest routes (sequences of entities, Yen's
// algorithm), cheapest first; they begin with the shortest ones.
export async function kPaths(opts, k, signal = undefined) {
  const d = await ask(
    'PageKPaths',
    `query PageKPaths(${pathArgs}, $k: Int!) {
  k: kShortestPaths(${pathPass}, k: $k) { ${pathFields} }
}`,
    { ...pathVars(opts), k },
    { signal },
  );
  return d.k;
}

// progressFields are what the page reads of centralityProgress: whether
// the exact ranking is ready, and while not, how far its computation is
// and when it is expected (null while unknown), for expectedText to show.
const progressFields = 'measure exactReady running done expectedInSeconds';

// ranking asks for the first entities of a measure's ranking (of one kind
// when kind is set) and, with it, which exact rankings the server has
// computed. While the exact ranking is still being computed the server may
// answer with a certified approximation: exact is then false and every
// score lies within epsilon of the exact one with probability at least
// 1 - delta. Without withRanking only the progress is asked (cheap: what
// the page polls while it waits for the exact ranking).
export async function ranking(measure, kind, { first = 50, withRanking = true, signal } = {}) {
  const d = await ask(
    'PageRanking',
    `query PageRanking($measure: CentralityMeasure!, $kinds: [String!], $first: Int!, $withRanking: Boolean!) {
  ranking: centralityConnection(measure: $measure, kinds: $kinds, first: $first) @include(if: $withRanking) {
    exact epsilon delta totalCount edges { node { rank score entity { ${entityFields} } } }
  }
  progress: centralityProgress { ${progressFields} }
}`,
    { measure, kinds: kind ? [kind] : null, first, withRanking },
    { signal },
  );
  const progress = d.progress.find((p) => p.measure === measure) ?? null;
  if (!d.ranking) return { progress };
  const r = d.ranking;
  return { exact: r.exact, epsilon: r.epsilon, delta: r.delta, totalCount: r.totalCount, rows: r.edges.map((e) => e.node), progress };
}

export async function scores(measure, ids, signal) {
  const d = await ask(
    'PageScores',
    `query PageScores($measure: CentralityMeasure!, $ids: [ID!]!) { scores(measure: $measure, ids: $ids) { id score rank } }`,
    { measure, ids },
    { signal },
  );
  return d.scores;
}

export async function communityOf(ids, signal) {
  const d = await ask(
    'PageCommunities',
    `query PageCommunities($ids: [ID!]!) { communityOf(ids: $ids) { id community size } }`,
    { ids },
    { signal },
  );
  return d.communityOf;
}

export async function partners(id, first = 100) {
  const d = await ask(
    'PagePartners',
    `query PagePartners($id: ID!, $first: Int!) {
  partners(id: $id, first: $first) { count partner { ${entityFields} } contexts { ${entityFields} } }
}`,
    { id, first },
  );
  return d.partners;
}

// partnersPage asks for one page of an entity's partners (most shared
// contexts first) with how many there are in all; after is the last
// page's endCursor.
export async function partnersPage(id, first = 50, after = null) {
  const d = await ask(
    'PagePartnersPage',
    `query PagePartnersPage($id: ID!, $first: Int!, $after: String) {
  partnersConnection(id: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { count partner { ${entityFields} } contexts { ${entityFields} } } }
  }
}`,
    { id, first, after },
  );
  const c = d.partnersConnection;
  return { total: c.totalCount, hasNext: c.pageInfo.hasNextPage, cursor: c.pageInfo.endCursor, rows: c.edges.map((e) => e.node) };
}

// suggestPage asks for one page of the search's matches with how many
// there are in all; after is the last page's endCursor.
export async function suggestPage(text, first = 8, after = null) {
  const d = await ask(
    'PageSuggestPage',
    `query PageSuggestPage($text: String!, $first: Int!, $after: String) {
  searchConnection(text: $text, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${entityFields} aliases } }
  }
}`,
    { text, first, after },
  );
  const c = d.searchConnection;
  return { total: c.totalCount, hasNext: c.pageInfo.hasNextPage, cursor: c.pageInfo.endCursor, items: c.edges.map((e) => e.node) };
}
