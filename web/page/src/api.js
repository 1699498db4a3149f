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

// The page's filter (filters.js): an EntityFilter input, or null. The
// graph's expansion, the rankings and the path finder send it with their
// questions, so that every view shows the same entities.
let pageFilter = null;

export function setFilter(f) {
  pageFilter = f;
}

// filterKey names the filter in force ('' for none), for what is kept per
// filter (the rankings).
export function filterKey() {
  return pageFilter ? JSON.stringify(pageFilter) : '';
}
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
    `query PageNeighbours($id: ID!, $first: Int!, $after: String, $filter: EntityFilter) {
  entity(id: $id) {
    neighboursConnection(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${entityFields} } }
    }
  }
}`,
    { id, first, after: after ?? null, filter: pageFilter },
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

// paths asks for every shortest path (at most first) and, when k > 0, the k
// shortest simple paths, with the same options.
// listedPaths is how many shortest paths the path finder lists.
export const listedPaths = 50;

export async function paths({ from, to, k, maxHops, avoid, year, relationTypes }, first = listedPaths, signal = undefined) {
  const vars = {
    from,
    to,
    k: Math.max(k, 1),
    maxHops: maxHops || null,
    avoid: avoid ? [avoid] : null,
    activeFrom: year ? String(year) : null,
    activeTo: year ? String(year) : null,
    relationTypes: relationTypes?.length ? relationTypes : null,
    first,
    withK: k > 0,
    filter: pageFilter,
  };
  const d = await ask(
    'PagePaths',
    `query PagePaths($from: ID!, $to: ID!, $k: Int!, $maxHops: Int, $avoid: [ID!], $activeFrom: String, $activeTo: String,
  $relationTypes: [String!], $first: Int!, $withK: Boolean!, $filter: EntityFilter) {
  all: allShortestPaths(from: $from, to: $to, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo,
    relationTypes: $relationTypes, first: $first, filter: $filter) { ${pathFields} }
  k: kShortestPaths(from: $from, to: $to, k: $k, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo,
    relationTypes: $relationTypes, filter: $filter) @include(if: $withK) { ${pathFields} }
}`,
    vars,
    { signal },
  );
  return { all: d.all, k: d.k ?? [] };
}

// pathSubgraph asks for every shortest path as one layered subgraph (the
// entities and relations only), with the options of paths; null when the
// two are not connected.
export async function pathSubgraph({ from, to, maxHops, avoid, year, relationTypes }, signal = undefined) {
  const d = await ask(
    'PagePathSubgraph',
    `query PagePathSubgraph($from: ID!, $to: ID!, $maxHops: Int, $avoid: [ID!], $activeFrom: String, $activeTo: String, $relationTypes: [String!],
  $filter: EntityFilter) {
  sub: shortestPathSubgraph(from: $from, to: $to, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo,
    relationTypes: $relationTypes, filter: $filter) { pathCount layers { entities { id } } links { relations { id } } }
}`,
    {
      from,
      to,
      maxHops: maxHops || null,
      avoid: avoid ? [avoid] : null,
      activeFrom: year ? String(year) : null,
      activeTo: year ? String(year) : null,
      relationTypes: relationTypes?.length ? relationTypes : null,
      filter: pageFilter,
    },
    { signal },
  );
  return d.sub;
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
    `query PageRanking($measure: CentralityMeasure!, $kinds: [String!], $first: Int!, $withRanking: Boolean!, $filter: EntityFilter) {
  ranking: centralityConnection(measure: $measure, kinds: $kinds, first: $first, filter: $filter) @include(if: $withRanking) {
    exact epsilon delta totalCount edges { node { rank score entity { ${entityFields} } } }
  }
  progress: centralityProgress { ${progressFields} }
}`,
    { measure, kinds: kind ? [kind] : null, first, withRanking, filter: pageFilter },
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

// filterChoices asks for what the filter panel offers: the kinds present
// and the filter's values on this network.
export async function filterChoices(signal) {
  const d = await ask(
    'PageFilterChoices',
    `query PageFilterChoices {
  overview { kinds { kind count } }
  filterChoices { countries { id name } programmes { id name } datasets documents firstYear lastYear }
}`,
    {},
    { signal },
  );
  return { kinds: d.overview.kinds.map((k) => k.kind), ...d.filterChoices };
}

// members asks which of ids pass filter: the ids kept, and how many not.
export async function members(ids, filter, signal) {
  const d = await ask(
    'PageFilterMembers',
    `query PageFilterMembers($ids: [ID!]!, $filter: EntityFilter) { subgraph(ids: $ids, filter: $filter) { entities { id } hidden } }`,
    { ids, filter },
    { signal },
  );
  return { kept: d.subgraph.entities.map((e) => e.id), hidden: d.subgraph.hidden };
}

// regions finds regions (and cities) by name, for the filter's region box.
export async function regions(text, signal) {
  const d = await ask(
    'PageFilterRegions',
    `query PageFilterRegions($text: String!) { search(text: $text, kinds: ["Region", "City"], first: 10) { ${entityFields} } }`,
    { text },
    { signal },
  );
  return d.search;
}
