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
// A relation in view also carries its document's id and its quote, so that
// the page's GraphML and GEXF keep each relation's source (exports.js).
const viewRelationFields = 'id type fromId toId role start end document quote';

export async function overview() {
  const d = await ask(
    'PageOverview',
    `query PageOverview {
  overview { entities relations kinds { kind count } relationTypes { type count } }
  credits
  documents { id title publisher url }
}`,
  );
  return { ...d.overview, credits: d.credits, documents: d.documents };
}

export async function network(max) {
  const d = await ask(
    'PageNetwork',
    `query PageNetwork($max: Int!) {
  network(max: $max) { entities { ${entityFields} } relations { ${viewRelationFields} } }
}`,
    { max },
  );
  return d.network;
}

export async function subgraph(ids) {
  const d = await ask(
    'PageSubgraph',
    `query PageSubgraph($ids: [ID!]!) {
  subgraph(ids: $ids) { entities { ${entityFields} } relations { ${viewRelationFields} } }
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

// A relation in the details pane: its ends, its document by title,
// publisher and address (source), and its quote.
// (Written out: server/records_api_test.go fills a query's fields from
// this file's single-quoted constants.)
const documentFields = 'id title publisher url';
const detailRelationFields = 'id type fromId toId role start end document quote source { id title publisher url } from { id kind name } to { id kind name }';

// details is what the details pane shows of an entity: its first page of
// relations, and (ends) the places it is in and the programmes that fund
// it, whatever page they fall on.
export async function details(id, first = 200, { signal } = {}) {
  const d = await ask(
    'PageDetails',
    `query PageDetails($id: ID!, $first: Int!) {
  entity(id: $id) {
    ${entityFields} aliases documents
    sources { ${documentFields} }
    properties { key value }
    facts { property value document quote source { ${documentFields} } }
    records { dataset id name place rule }
    ends: relationsConnection(relationTypes: ["LOCATED_IN", "FUNDED_BY"], first: 50) {
      edges { node { ${relationFields} from { ${entityFields} } to { ${entityFields} } } }
    }
    relationsConnection(first: $first) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${detailRelationFields} } }
    }
  }
}`,
    { id, first },
    { signal },
  );
  return d.entity;
}

// relationsPage is the details pane's next page of an entity's relations.
export async function relationsPage(id, first, after, { signal } = {}) {
  const d = await ask(
    'PageRelations',
    `query PageRelations($id: ID!, $first: Int!, $after: String) {
  entity(id: $id) {
    relationsConnection(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${detailRelationFields} } }
    }
  }
}`,
    { id, first, after },
    { signal },
  );
  return d.entity.relationsConnection;
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
const pathFields = `length nodes { ${entityFields} } relations { ${relationFields} document quote source { id title publisher url } } hops { relations { ${relationFields} document quote source { id title publisher url } } }`;

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
    filter: pageFilter,
  };
}

const pathArgs = '$from: ID!, $to: ID!, $maxHops: Int, $avoid: [ID!], $activeFrom: String, $activeTo: String, $relationTypes: [String!], $filter: EntityFilter';
const pathPass = 'from: $from, to: $to, maxHops: $maxHops, avoid: $avoid, activeFrom: $activeFrom, activeTo: $activeTo, relationTypes: $relationTypes, filter: $filter';

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

// neighboursBy asks for one page of an entity's neighbours of some
// relation types and/or kinds (null: any), with how many there are in all.
export async function neighboursBy(id, { relationTypes = null, kinds = null, first, after = null, signal } = {}) {
  const d = await ask(
    'PageNeighboursBy',
    `query PageNeighboursBy($id: ID!, $relationTypes: [String!], $kinds: [String!], $first: Int!, $after: String, $filter: EntityFilter) {
  entity(id: $id) {
    neighboursConnection(relationTypes: $relationTypes, kinds: $kinds, first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${entityFields} } }
    }
  }
}`,
    { id, relationTypes, kinds, first, after, filter: pageFilter },
    { signal },
  );
  return d.entity.neighboursConnection;
}

// neighbourCounts tells how many neighbours an entity has in all, through
// each relation type and of each kind given (one question, a count each).
export async function neighbourCounts(id, types, kinds, signal) {
  const fields = [
    'all: neighboursConnection(first: 0) { totalCount }',
    ...types.map((x, i) => `t${i}: neighboursConnection(relationTypes: [$t${i}], first: 0) { totalCount }`),
    ...kinds.map((x, i) => `k${i}: neighboursConnection(kinds: [$k${i}], first: 0) { totalCount }`),
  ];
  const params = ['$id: ID!', ...types.map((x, i) => `$t${i}: String!`), ...kinds.map((x, i) => `$k${i}: String!`)];
  const vars = { id };
  types.forEach((x, i) => (vars[`t${i}`] = x));
  kinds.forEach((x, i) => (vars[`k${i}`] = x));
  // One alias per count, so the document is written here (a variable, not a
  // template passed to ask: the server's tests read those as they are).
  const doc = `query PageNeighbourCounts(${params.join(', ')}) {\n  entity(id: $id) { ${fields.join('\n    ')} }\n}`;
  const d = await ask('PageNeighbourCounts', doc, vars, { signal });
  const e = d.entity;
  return {
    all: e.all.totalCount,
    types: new Map(types.map((x, i) => [x, e[`t${i}`].totalCount])),
    kinds: new Map(kinds.map((x, i) => [x, e[`k${i}`].totalCount])),
  };
}

// neighbourhoodStep asks for the neighbours of several entities at once:
// for each id (in order) the first `first` neighbours, their total count and
// the cursor to go on from. The page uses it to find what lies within a
// few steps of an entity, a bounded number of entities per question.
export async function neighbourhoodStep(ids, first, signal) {
  const params = ids.map((x, i) => `$e${i}: ID!`).join(', ');
  const fields = ids
    .map((x, i) => `e${i}: entity(id: $e${i}) { neighboursConnection(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${entityFields} } } } }`)
    .join('\n  ');
  const vars = { first };
  ids.forEach((x, i) => (vars[`e${i}`] = x));
  const doc = `query PageNeighbourhood($first: Int!, ${params}) {\n  ${fields}\n}`;
  const d = await ask('PageNeighbourhood', doc, vars, { signal });
  return ids.map((x, i) => d[`e${i}`].neighboursConnection);
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
  const vars = { region, level, first, from: activeFrom || null, to: activeTo || null, programmes: programmes?.length ? programmes : null };
  // Two documents, not one with @include: the server's cost estimate counts
  // a field whether or not a directive leaves it out.
  const d = projects
    ? await ask(
        'PageRegionProjects',
        `query PageRegionProjects($region: ID!, $level: Int!, $first: Int!, $from: String, $to: String, $programmes: [ID!]) {
  regionPartnersPage(region: $region, level: $level, first: $first, activeFrom: $from, activeTo: $to, programmes: $programmes) {
    totalCount
    programmes { ${entityFields} }
    partners { region { ${entityFields} properties { key value } } projects programmes { ${entityFields} } projectList(first: 1000) { ${entityFields} } }
  }
}`,
        vars,
        { signal },
      )
    : await ask(
        'PageRegionPartners',
        `query PageRegionPartners($region: ID!, $level: Int!, $first: Int!, $from: String, $to: String, $programmes: [ID!]) {
  regionPartnersPage(region: $region, level: $level, first: $first, activeFrom: $from, activeTo: $to, programmes: $programmes) {
    totalCount
    programmes { ${entityFields} }
    partners { region { ${entityFields} properties { key value } } projects programmes { ${entityFields} } }
  }
}`,
        vars,
        { signal },
      );
  return d.regionPartnersPage;
}
