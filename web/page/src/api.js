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
  };
  const d = await ask(
    'PagePaths',
    `query PagePaths($from: ID!, $to: ID!, $k: Int!, $maxHops: Int, $avoid: [ID!], $activeFrom: String, $activeTo: String,
  $relationTypes: [String!], $first: Int!, $withK: Boolean!) {
  all: allShortestPaths(from: $from, to: $to, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo,
    relationTypes: $relationTypes, first: $first) { ${pathFields} }
  k: kShortestPaths(from: $from, to: $to, k: $k, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo,
    relationTypes: $relationTypes) @include(if: $withK) { ${pathFields} }
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
    `query PagePathSubgraph($from: ID!, $to: ID!, $maxHops: Int, $avoid: [ID!], $activeFrom: String, $activeTo: String, $relationTypes: [String!]) {
  sub: shortestPathSubgraph(from: $from, to: $to, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo,
    relationTypes: $relationTypes) { pathCount layers { entities { id } } links { relations { id } } }
}`,
    {
      from,
      to,
      maxHops: maxHops || null,
      avoid: avoid ? [avoid] : null,
      activeFrom: year ? String(year) : null,
      activeTo: year ? String(year) : null,
      relationTypes: relationTypes?.length ? relationTypes : null,
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

// findEntity is the entity of id (an id or a source record's id, such as
// NUTS's nuts:PL21), or null when the network has none: the page's
// default region is looked up this way and may be absent.
export async function findEntity(id, signal = undefined) {
  try {
    const d = await ask('PageFindEntity', `query PageFindEntity($id: ID!) { entity(id: $id) { ${entityFields} properties { key value } } }`, { id }, { signal });
    return d.entity;
  } catch (err) {
    if (err instanceof APIError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

// regionPartners asks for the first partner regions of region at level
// (0 countries, 1–2 NUTS) with their total and the programmes behind them
// all; activeFrom/activeTo (years) and programmes filter the projects
// counted. projects asks for every partner's projects too (for the one
// expanded row).
export async function regionPartners({ region, level, first, activeFrom, activeTo, programmes, projects = false }, signal = undefined) {
  const d = await ask(
    'PageRegionPartners',
    `query PageRegionPartners($region: ID!, $level: Int!, $first: Int!, $from: String, $to: String, $programmes: [ID!]) {
  regionPartnersPage(region: $region, level: $level, first: $first, activeFrom: $from, activeTo: $to, programmes: $programmes) {
    totalCount
    programmes { ${entityFields} }
    partners {
      region { ${entityFields} properties { key value } }
      projects
      programmes { ${entityFields} }
      ${projects ? `projectList(first: 1000) { ${entityFields} }` : ''}
    }
  }
}`,
    { region, level, first, from: activeFrom || null, to: activeTo || null, programmes: programmes?.length ? programmes : null },
    { signal },
  );
  return d.regionPartnersPage;
}
