// The coopgraph page: search, the graph (or its list), details, path
// finder, rankings and partners, with the whole view kept in the URL.
import './page.css';
import * as api from './api.js';
import { csv, download, gexf, graphML } from './exports.js';
import { clock, decimal, language, languages, number, plural, seconds, setLanguage, t, translate } from './i18n.js';
import { measures } from './measures.gen.js';
import { Rankings, workingAfterMs } from './rankings.js';
import { Regions, relabelStart, wireStart } from './regions.js';
import { GraphView } from './view.js';

// A network of at most this many entities is drawn whole at start; a
// larger one grows from a search (the page never pulls it whole).
const wholeNetworkMax = 3000;
// The most entities the view holds when growing.
const viewMax = 3000;
// Neighbours added per expansion of one entity.
const expandPage = 50;
const tabs = ['details', 'path', 'rankings', 'partners', 'regions'];
// The measure a view without one shows: the registry's first (degree).
const defaultMeasure = measures[0];

// Colours of the kinds (contrast of at least 3:1 on white, as graphics need).
const kindColours = {
  Region: '#1565c0',
  Country: '#00897b',
  City: '#6d4c41',
  Network: '#c62828',
  Project: '#2e7d32',
  Organisation: '#e65100',
  Programme: '#6a1b9a',
  Person: '#d81b60',
  Agreement: '#37474f',
  Event: '#9e7b00',
  Strategy: '#5c6bc0',
};
const otherColour = '#8a8f98';
const communityColours = ['#1565c0', '#c62828', '#2e7d32', '#d84315', '#6a1b9a', '#00796b', '#ad1457', '#795548', '#546e7a', '#827717'];

const $ = (id) => document.getElementById(id);

// The view's state; everything in it is in the URL.
const state = {
  lang: 'en',
  sel: '',
  tab: 'details',
  from: '',
  to: '',
  k: 3,
  hops: 0,
  avoid: '',
  year: 0,
  types: [],
  measure: defaultMeasure, // what sizes the entities in view
  rankMeasure: defaultMeasure, // what the rankings tab ranks by
  colour: 'kind',
  kind: '',
  view: 'graph',
  open: [], // entities whose neighbours were expanded (large networks)
};

let info = null; // overview
let whole = false; // the whole network is in view
let view = null;
let scores = new Map(); // id → {score, rank} under state.measure
let communities = new Map(); // id → {community, size}
const names = new Map(); // id → {name, kind} of every entity the page has seen
const cursors = new Map(); // id → endCursor of its expanded neighbours
let lastPaths = null;
let lastRanking = [];
let rankings = null; // the rankings tab's requests (rankings.js)
let lastPartners = null;
let booted = false; // the first view is restored
let regionsTab = null; // the partner regions tab and its map (regions.js)
let startCtx = null; // what the start panel's buttons do (regions.js)

// ---------- URL ----------

function readURL() {
  const q = new URLSearchParams(location.search);
  const lang = q.get('lang') ?? (navigator.language?.toLowerCase().startsWith('pl') ? 'pl' : 'en');
  state.lang = languages.includes(lang) ? lang : 'en';
  state.sel = q.get('sel') ?? '';
  state.tab = tabs.includes(q.get('tab')) ? q.get('tab') : 'details';
  state.from = q.get('from') ?? '';
  state.to = q.get('to') ?? '';
  state.k = clampInt(q.get('k'), 0, 20, 3);
  state.hops = clampInt(q.get('hops'), 0, 12, 0);
  state.avoid = q.get('avoid') ?? '';
  state.year = clampInt(q.get('year'), 0, 2100, 0);
  state.types = (q.get('types') ?? '').split(',').filter(Boolean);
  state.measure = measures.includes(q.get('measure')) ? q.get('measure') : defaultMeasure;
  // A URL from before the rankings had a measure of their own ranks by
  // measure.
  state.rankMeasure = measures.includes(q.get('rankmeasure')) ? q.get('rankmeasure') : state.measure;
  state.colour = q.get('colour') === 'community' ? 'community' : 'kind';
  state.kind = q.get('kind') ?? '';
  state.view = q.get('view') === 'list' ? 'list' : 'graph';
  state.open = (q.get('open') ?? '').split(',').filter(Boolean);
  regionsTab?.readURL(q);
}

function clampInt(s, lo, hi, def) {
  const n = Number.parseInt(s ?? '', 10);
  return Number.isFinite(n) && n >= lo && n <= hi ? n : def;
}

function writeURL() {
  const q = new URLSearchParams();
  q.set('lang', state.lang);
  if (state.sel) q.set('sel', state.sel);
  if (state.tab !== 'details') q.set('tab', state.tab);
  if (state.from) q.set('from', state.from);
  if (state.to) q.set('to', state.to);
  if (state.from || state.to) {
    q.set('k', String(state.k));
    if (state.hops) q.set('hops', String(state.hops));
    if (state.avoid) q.set('avoid', state.avoid);
    if (state.year) q.set('year', String(state.year));
    if (state.types.length) q.set('types', state.types.join(','));
  }
  if (state.measure !== defaultMeasure) q.set('measure', state.measure);
  if (state.rankMeasure !== state.measure) q.set('rankmeasure', state.rankMeasure);
  if (state.colour !== 'kind') q.set('colour', state.colour);
  if (state.kind) q.set('kind', state.kind);
  if (state.view !== 'graph') q.set('view', state.view);
  if (!whole && state.open.length) q.set('open', state.open.join(','));
  regionsTab?.writeURL(q, state.tab);
  const url = `${location.pathname}?${q}`;
  if (url !== location.pathname + location.search) history.replaceState(null, '', url);
}

// ---------- errors and status ----------

// showError shows what failed as the server said it (message and code)
// and what the user can do about it; a request the page gave up on is no
// failure.
function showError(err) {
  if (api.aborted(err)) return;
  const box = $('error');
  fill(box, ...errorWords(err).map((line) => el('p', {}, line)));
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => (box.hidden = true), 12_000);
}

// errorWords are the lines that explain err: the server's message with its
// code, then the hint for that code (UNAVAILABLE: ask for less or again,
// after the Retry-After the server gave); an error of the page itself is
// its message.
function errorWords(err) {
  const code = err?.code;
  if (!code) return [err?.message ?? String(err)]; // the page's own, not the server's
  const lines = [t('error', { message: err.message, code })];
  const hint = t(`hint.${code}`);
  if (hint !== code) lines.push(hint);
  if (code === 'UNAVAILABLE' && err.retryAfter > 0) lines.push(t('hint.retryAfter', { elapsed: seconds(err.retryAfter * 1000) }));
  return lines;
}

// busy runs fn(signal) and, once it has taken workingAfterMs, says in the
// status line what the page is waiting for and for how long, with a
// Cancel button that aborts it (fn then rejects with an AbortError). A job
// of the same kind (when given) started later aborts it: its question is
// no longer the page's. Scores and communities have none: a later restyle
// asks for what an earlier one is still asking, so both may finish.
const busyJobs = new Set();
const busyKinds = new Map(); // kind → the AbortController of its latest job

async function busy(kind, what, fn) {
  const ctrl = new AbortController();
  if (kind) {
    busyKinds.get(kind)?.abort();
    busyKinds.set(kind, ctrl);
  }
  const job = { what, started: performance.now(), ctrl, node: null, timer: 0 };
  job.timer = setTimeout(function tick() {
    if (!job.node) {
      job.elapsed = el('span', { class: 'elapsed', 'aria-hidden': 'true' });
      job.node = el('p', { class: 'busy-job' }, el('span', { class: 'spinner', 'aria-hidden': 'true' }), el('span', {}, t('busy.note', { what })), ' ', job.elapsed, ' ', el('button', { type: 'button', class: 'small', onclick: () => ctrl.abort() }, t('cancel')));
      $('busy').append(job.node);
      $('busy').hidden = false;
    }
    job.elapsed.textContent = t('busy.elapsed', { elapsed: seconds(performance.now() - job.started) });
    job.timer = setTimeout(tick, 1000);
  }, workingAfterMs);
  busyJobs.add(job);
  try {
    return await fn(ctrl.signal);
  } finally {
    clearTimeout(job.timer);
    job.node?.remove();
    busyJobs.delete(job);
    if (kind && busyKinds.get(kind) === ctrl) busyKinds.delete(kind);
    $('busy').hidden = busyJobs.size === 0 || !$('busy').childElementCount;
  }
}

// guard runs an async action and reports its failure on the page.
function guard(fn) {
  return (...args) =>
    Promise.resolve()
      .then(() => fn(...args))
      .catch(showError);
}

function status() {
  if (!info) {
    $('status').textContent = t('status.loading');
    return;
  }
  const n = view.size;
  const m = view.relations.size;
  $('status').textContent = whole ? t('status.whole', { entities: plural('count.entities', n), relations: plural('count.relations', m) }) : t('status.part', { n: number(n), total: number(info.entities), relations: plural('count.relations', m) });
  $('start').hidden = whole || n > 0;
  $('start').textContent = t('start.large', { entities: plural('count.entities', info.entities) });
  $('expand').disabled = whole || !state.sel;
}

// ---------- names ----------

function remember(entities) {
  for (const e of entities) names.set(e.id, { name: e.name, kind: e.kind });
}

function nameOf(id) {
  return names.get(id)?.name ?? id;
}

function kindLabel(kind) {
  return t(`kind.${kind}`);
}

function relLabel(type) {
  return t(`rel.${type}`);
}

// el builds an element: el('p', {class: 'x'}, 'text', child…).
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// fill replaces node's children with those given, skipping null and
// false (conditional parts); replaceChildren itself would write "null".
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function swatch(colour) {
  return el('span', { class: 'swatch', style: `background:${colour}`, 'aria-hidden': 'true' });
}

// entityButton is an entity's name that selects it.
function entityButton(e, extra = {}) {
  remember([e]);
  return el('button', { type: 'button', class: 'link', dataset: { id: e.id }, onclick: () => guard(select)(e.id, { focus: true }), ...extra }, e.name);
}

// ---------- search boxes ----------

// combo makes input a combobox suggesting entities as one types (the API
// ignores case and diacritics); pick(entity) is called with the chosen one.
function combo(input, list, pick) {
  let items = [];
  let active = -1;
  let asked = 0;
  let timer;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const render = (text) => {
    fill(list);
    if (!items.length) {
      list.append(el('li', { class: 'none', role: 'option', 'aria-disabled': 'true' }, t('search.none', { text })));
    }
    items.forEach((e, i) => {
      const alias = e.aliases?.find((a) => fold(a).includes(fold(text)) && !fold(e.name).includes(fold(text)));
      const li = el(
        'li',
        { id: `${list.id}-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false', dataset: { id: e.id } },
        swatch(kindColours[e.kind] ?? otherColour),
        el('span', { class: 'name' }, e.name),
        alias ? el('span', { class: 'alias' }, alias) : null,
        el('span', { class: 'kind' }, kindLabel(e.kind)),
      );
      li.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep focus in the input
      li.addEventListener('click', () => choose(i));
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const move = (to) => {
    if (!items.length) return;
    active = (to + items.length) % items.length;
    for (const li of list.children) li.setAttribute('aria-selected', li.id === `${list.id}-${active}` ? 'true' : 'false');
    input.setAttribute('aria-activedescendant', `${list.id}-${active}`);
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  };
  const choose = (i) => {
    const e = items[i];
    if (!e) return;
    close();
    remember([e]);
    input.value = e.name;
    input.dataset.id = e.id;
    pick(e);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    delete input.dataset.id;
    const text = input.value.trim();
    if (!text) return close();
    timer = setTimeout(async () => {
      const mine = ++asked;
      try {
        const found = await api.suggest(text);
        if (mine !== asked || input.value.trim() !== text) return;
        items = found;
        active = -1;
        render(text);
      } catch (err) {
        showError(err);
      }
    }, 120);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      if (list.hidden && items.length) render(input.value.trim());
      move(active + 1);
    } else if (e.key === 'ArrowUp') {
      move(active - 1);
    } else if (e.key === 'Enter') {
      if (!list.hidden && items.length) {
        e.preventDefault();
        choose(active >= 0 ? active : 0);
      }
      return;
    } else if (e.key === 'Escape') {
      if (!list.hidden) close();
      return;
    } else {
      return;
    }
    e.preventDefault();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  return {
    set(id) {
      input.dataset.id = id ?? '';
      input.value = id ? nameOf(id) : '';
      if (!id) delete input.dataset.id;
    },
    get id() {
      return input.dataset.id || '';
    },
  };
}

// fold lowers case and drops diacritics, as the API's search does, to
// show which alias matched.
function fold(s) {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase();
}

// ---------- the network in view ----------

async function start() {
  info = await api.overview();
  // The default region (Małopolska in the linked network), when the
  // network has it: a large network opens on it and its neighbours.
  const home = await regionsTab.findHome();
  if (startCtx) relabelStart(startCtx);
  credits();
  status();
  fillKinds();
  fillTypes();
  if (info.entities <= wholeNetworkMax) {
    $('status').textContent = t('status.layout');
    const net = await api.network(wholeNetworkMax);
    remember(net.entities);
    view.add(net.entities, net.relations);
    whole = true;
    await restyle();
    await view.layout(info.entities > 1000 ? 200 : 600);
    view.fit();
  } else {
    whole = false;
    const seeds = [...new Set([state.sel, ...state.open].filter(Boolean))];
    if (seeds.length) {
      await addEntities(seeds);
      for (const id of state.open) await expand(id, { keep: true });
    } else if (home) {
      state.sel = home.id;
      await expand(home.id);
    }
  }
  status();
  renderList();
}

// addEntities puts entities (ids) into view with the relations among
// everything in view.
async function addEntities(ids, near) {
  const missing = ids.filter((id) => !view.has(id));
  if (!missing.length) return [];
  if (view.size + missing.length > viewMax) {
    throw new Error(`${view.size + missing.length} > ${viewMax}`);
  }
  const sub = await api.subgraph([...view.ids(), ...missing]);
  remember(sub.entities);
  const added = view.add(
    sub.entities.filter((e) => missing.includes(e.id)),
    sub.relations,
    near,
  );
  await restyle();
  await view.layout(80);
  status();
  renderList();
  return added;
}

// expand adds the next page of an entity's neighbours to the view.
async function expand(id, { keep = false } = {}) {
  if (whole) return;
  if (!view.has(id)) await addEntities([id]);
  const page = await api.neighbours(id, expandPage, cursors.get(id));
  if (page.pageInfo.endCursor) cursors.set(id, page.pageInfo.endCursor);
  const ids = page.edges.map((e) => e.node.id);
  remember(page.edges.map((e) => e.node));
  await addEntities(ids, id);
  if (!keep) view.fit();
  if (!keep && !state.open.includes(id)) {
    state.open.push(id);
    writeURL();
  }
}

// restyle colours and sizes the entities in view.
async function restyle() {
  const ids = view.ids();
  if (!ids.length) {
    renderLegend();
    return;
  }
  // A score or community the server cannot give in time leaves sizes
  // or colours plain, with the error shown, not the view undrawn.
  const missing = ids.filter((id) => !scores.has(id));
  if (missing.length) {
    const measure = state.measure;
    await busy(null, t('busy.scores', { measure: t(`measure.${measure}`) }), async (signal) => {
      for (let i = 0; i < missing.length; i += 5000) {
        const got = await api.scores(measure, missing.slice(i, i + 5000), signal);
        if (measure !== state.measure) return;
        for (const s of got) scores.set(s.id, s);
      }
    }).catch(showError);
  }
  if (state.colour === 'community') {
    const need = ids.filter((id) => !communities.has(id));
    if (need.length) {
      await busy(null, t('busy.communities'), async (signal) => {
        for (let i = 0; i < need.length; i += 5000) {
          for (const c of await api.communityOf(need.slice(i, i + 5000), signal)) communities.set(c.id, c);
        }
      }).catch(showError);
    }
  }
  let max = 0;
  for (const id of ids) max = Math.max(max, scores.get(id)?.score ?? 0);
  view.style(
    (id, a) => colourOf(id, a.kind),
    (id) => {
      const s = scores.get(id)?.score ?? 0;
      return max > 0 ? 3 + 15 * Math.sqrt(s / max) : 5;
    },
  );
  renderLegend();
  renderList();
}

function colourOf(id, kind) {
  if (state.colour === 'community') {
    const c = communities.get(id)?.community;
    return c && c <= communityColours.length ? communityColours[c - 1] : otherColour;
  }
  return kindColours[kind] ?? otherColour;
}

function renderLegend() {
  const box = $('legend');
  const items = [];
  if (state.colour === 'community') {
    const seen = new Map();
    for (const id of view.ids()) {
      const c = communities.get(id);
      if (c) seen.set(c.community, c.size);
    }
    const shown = [...seen.keys()].filter((c) => c <= communityColours.length).sort((a, b) => a - b);
    for (const c of shown) items.push([communityColours[c - 1], `${t('legend.community', { i: c })} (${number(seen.get(c))})`]);
    if ([...seen.keys()].some((c) => c > communityColours.length)) items.push([otherColour, t('legend.others')]);
  } else {
    const counts = new Map();
    for (const id of view.ids()) {
      const k = view.entity(id).kind;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      items.push([kindColours[k] ?? otherColour, `${kindLabel(k)} (${number(n)})`]);
    }
  }
  fill(box,
    el('h3', {}, t('legend.title')),
    el('ul', {}, items.map(([c, label]) => el('li', {}, swatch(c), label))),
    el('p', { class: 'size-note' }, t('legend.size', { measure: t(`measure.${state.measure}`) })),
  );
  box.hidden = view.size === 0;
}

function renderList() {
  const body = $('list-body');
  if ($('list').hidden) return;
  const degree = new Map();
  for (const r of view.relations.values()) {
    degree.set(r.fromId, (degree.get(r.fromId) ?? 0) + 1);
    if (r.toId !== r.fromId) degree.set(r.toId, (degree.get(r.toId) ?? 0) + 1);
  }
  const rows = listRows(degree);
  fill(body,
    ...rows.map((r) =>
      el(
        'tr',
        { class: r.id === state.sel ? 'selected' : null, 'aria-current': r.id === state.sel ? 'true' : null },
        el('td', {}, swatch(colourOf(r.id, r.kind)), entityButton({ id: r.id, name: r.name, kind: r.kind })),
        el('td', {}, kindLabel(r.kind)),
        el('td', { class: 'num' }, r.score === null ? '' : number(r.score, 4)),
        el('td', { class: 'num' }, r.community ?? ''),
        el('td', { class: 'num' }, number(r.links)),
      ),
    ),
  );
}

function listRows(degree = new Map()) {
  return view
    .ids()
    .map((id) => {
      const a = view.entity(id);
      return { id, name: a.name, kind: a.kind, score: scores.get(id)?.score ?? null, community: communities.get(id)?.community ?? null, links: degree.get(id) ?? 0 };
    })
    .sort((a, b) => a.name.localeCompare(b.name, language()));
}

// ---------- selection and details ----------

async function select(id, { focus = false, keepTab = false } = {}) {
  state.sel = id;
  writeURL();
  if (!view.has(id) && !whole) await addEntities([id]);
  view.select(id);
  if (focus && state.view === 'graph') view.focus(id);
  if (!keepTab && state.tab !== 'details' && state.tab !== 'partners') setTab('details');
  status();
  renderList();
  markSelected();
  if (startCtx) relabelStart(startCtx);
  await Promise.all([renderDetails(), state.tab === 'partners' ? renderPartners() : null]);
}

async function renderDetails() {
  const pane = $('pane-details');
  if (!state.sel) {
    fill(pane, el('p', { class: 'empty' }, t('details.empty')));
    return;
  }
  const id = state.sel;
  const e = await api.details(id);
  if (state.sel !== id) return;
  remember([e]);
  const rels = e.relationsConnection.edges.map((x) => x.node);
  for (const r of rels) remember([r.from, r.to]);
  const groups = new Map();
  for (const r of rels) {
    if (!groups.has(r.type)) groups.set(r.type, []);
    groups.get(r.type).push(r);
  }
  const place = e.properties.filter((p) => /^(country|region|city|nuts|countryName)$/i.test(p.key));
  const otherProps = e.properties.filter((p) => !place.includes(p));
  fill(pane,
    el(
      'header',
      { class: 'entity-head' },
      el('h3', { id: 'details-name' }, swatch(kindColours[e.kind] ?? otherColour), e.name),
      el('p', { class: 'kind-line' }, el('span', { class: 'badge' }, kindLabel(e.kind)), ...place.map((p) => el('span', { class: 'badge light' }, `${p.key}: ${p.value}`))),
    ),
    e.aliases.length ? el('div', { class: 'aliases' }, el('h4', {}, t('details.aliases')), el('p', {}, e.aliases.join(' · '))) : null,
    el(
      'div',
      { class: 'actions' },
      whole ? null : el('button', { type: 'button', onclick: guard(() => expand(id)) }, t('expand')),
      el('button', { type: 'button', onclick: () => startPath('from', id) }, t('details.pathFrom')),
      el('button', { type: 'button', onclick: () => startPath('to', id) }, t('details.pathTo')),
      el('button', { type: 'button', onclick: () => setTab('partners') }, t('details.partners')),
    ),
    otherProps.length
      ? el('div', {}, el('h4', {}, t('details.properties')), el('dl', { class: 'props' }, otherProps.flatMap((p) => [el('dt', {}, p.key), el('dd', {}, linkify(p.value))])))
      : null,
    e.facts.length
      ? el(
          'div',
          {},
          el('h4', {}, t('details.facts')),
          el('ul', { class: 'facts' }, e.facts.map((f) => el('li', {}, el('span', {}, `${f.property}: ${f.value}`), source(f.document, f.quote)))),
        )
      : null,
    el(
      'div',
      { class: 'relations' },
      el('h4', {}, `${t('details.relations')} (${number(e.relationsConnection.totalCount)})`),
      ...[...groups].map(([type, list]) =>
        el(
          'section',
          { class: 'rel-group' },
          el('h5', {}, `${relLabel(type)} (${list.length})`),
          el(
            'ul',
            {},
            list.map((r) => {
              const out = r.fromId === id;
              const other = out ? r.to : r.from;
              return el(
                'li',
                { class: 'rel' },
                el('span', { class: 'dir', 'aria-hidden': 'true' }, out ? '→' : '←'),
                el('span', { class: 'sr-only' }, out ? `${e.name} ${relLabel(type)}` : `${relLabel(type)} ${e.name}:`),
                entityButton(other),
                el('span', { class: 'meta' }, [kindLabel(other.kind), r.role, dates(r)].filter(Boolean).join(' · ')),
                source(r.document, r.quote),
              );
            }),
          ),
        ),
      ),
      e.relationsConnection.totalCount > rels.length ? el('p', { class: 'note' }, t('details.more', { shown: rels.length, total: e.relationsConnection.totalCount })) : null,
    ),
    e.documents.length ? el('div', {}, el('h4', {}, t('details.documents')), el('ul', { class: 'docs' }, e.documents.map((d) => el('li', {}, d)))) : null,
    records(e.records),
  );
}

// records explains a merged entity: each source record it was made from,
// as the source spells it, and the rule or curated link that merged it.
function records(list) {
  if (!list.length) return null;
  return el(
    'div',
    { class: 'records' },
    el('h4', {}, t('details.records', { n: number(list.length) })),
    el(
      'ul',
      { class: 'record-list' },
      list.map((r) =>
        el(
          'li',
          { class: 'record' },
          el('span', { class: 'record-name' }, r.name),
          el(
            'span',
            { class: 'meta' },
            [`${t('details.recordSource')}: ${r.dataset}`, r.id, r.place ? `${t('details.recordPlace')}: ${r.place}` : ''].filter(Boolean).join(' · '),
          ),
          el('span', { class: 'record-rule' }, r.rule ? `${t('details.recordRule')}: ${r.rule}` : t('details.recordKept')),
        ),
      ),
    ),
  );
}

// credits shows the credit lines of the loaded sources in the footer.
function credits() {
  const lines = info?.credits ?? [];
  const box = $('credits');
  box.hidden = !lines.length;
  box.textContent = lines.length ? `${t('credits')}: ${lines.join(' · ')}` : '';
  box.title = lines.join('\n');
}

function dates(r) {
  if (r.start && r.end) return `${r.start} – ${r.end}`;
  if (r.start) return t('dates.since', { d: r.start });
  if (r.end) return t('dates.until', { d: r.end });
  return '';
}

function source(document, quote) {
  if (!document && !quote) return null;
  return el('div', { class: 'source' }, quote ? el('blockquote', {}, `“${quote}”`) : null, document ? el('cite', {}, `${t('details.source')}: ${document}`) : null);
}

// linkify shows an http(s) value as a link (it leaves the page only when followed).
function linkify(v) {
  return /^https?:\/\/\S+$/.test(v) ? el('a', { href: v, rel: 'noopener noreferrer', target: '_blank' }, v) : v;
}

// ---------- path finder ----------

let fromBox;
let toBox;
let avoidBox;

function startPath(end, id) {
  (end === 'from' ? fromBox : toBox).set(id);
  setTab('path');
  $(end === 'from' ? 'path-to' : 'path-from').focus();
}

function readPathForm() {
  state.from = fromBox.id;
  state.to = toBox.id;
  state.avoid = avoidBox.id;
  state.k = clampInt($('path-k').value, 0, 20, 0);
  state.hops = clampInt($('path-hops').value, 1, 12, 0);
  state.year = clampInt($('path-year').value, 1900, 2100, 0);
  state.types = [...document.querySelectorAll('#path-types input:checked')].map((c) => c.value);
}

function fillPathForm() {
  fromBox.set(state.from);
  toBox.set(state.to);
  avoidBox.set(state.avoid);
  $('path-k').value = String(state.k);
  $('path-hops').value = state.hops ? String(state.hops) : '';
  $('path-year').value = state.year ? String(state.year) : '';
  for (const c of document.querySelectorAll('#path-types input')) c.checked = state.types.includes(c.value);
}

async function findPaths() {
  readPathForm();
  writeURL();
  const box = $('path-result');
  if (!state.from || !state.to) {
    lastPaths = null;
    view.highlight(null);
    fill(box, el('p', { class: 'note' }, t('path.need')));
    return;
  }
  const opts = { from: state.from, to: state.to, k: state.k, maxHops: state.hops, avoid: state.avoid, year: state.year, relationTypes: state.types };
  const res = await busy('paths', t('busy.paths'), async (signal) => {
    const res = await api.paths(opts, api.listedPaths, signal);
    // More shortest paths than listed: all of them as one subgraph, each
    // entity and relation once (none when it is too large to draw).
    if (res.all.length >= api.listedPaths) {
      res.sub = await api.pathSubgraph(opts, signal).catch((err) => {
        if (api.aborted(err)) throw err;
        return null;
      });
    }
    return res;
  }).catch((err) => {
    if (api.aborted(err)) return null; // cancelled: the last paths stay
    throw err;
  });
  if (!res) return;
  lastPaths = res;
  for (const p of [...res.all, ...res.k]) remember(p.nodes);
  // On a large network the paths' entities join the view.
  if (!whole) {
    const ids = [...new Set([...res.all, ...res.k].flatMap((p) => p.nodes.map((n) => n.id)))];
    if (res.sub) ids.push(...res.sub.layers.flatMap((l) => l.entities.map((e) => e.id)).filter((id) => !ids.includes(id)));
    if (ids.some((id) => !view.has(id))) await addEntities(ids, state.from);
  }
  highlightShortest();
  renderPaths();
}

// highlightShortest highlights every shortest path: their subgraph when
// there are more than listed.
function highlightShortest() {
  const sub = lastPaths?.sub;
  if (!sub) {
    highlightPaths(lastPaths?.all);
    return;
  }
  view.highlight(
    sub.layers.flatMap((l) => l.entities.map((e) => e.id)),
    sub.links.flatMap((l) => l.relations.map((r) => r.id)),
  );
}

function highlightPaths(paths) {
  if (!paths?.length) {
    view.highlight(null);
    return;
  }
  view.highlight(
    paths.flatMap((p) => p.nodes.map((n) => n.id)),
    paths.flatMap((p) => hopRelations(p).map(({ r }) => r.id)),
  );
}

// hopRelations lists every relation of a path's hops (parallel relations,
// each a source of the same step) with the hop's index.
function hopRelations(p) {
  return p.relations.flatMap((r, i) => (p.hops?.[i]?.relations ?? [r]).map((h) => ({ r: h, i })));
}

// pathWords writes a path as a sentence: "Opolskie — member of → Dom
// Polski Południowej ← member of — Małopolskie", in the page's language.
function pathWords(p) {
  let s = p.nodes[0].name;
  p.relations.forEach((r, i) => {
    // A role that only repeats the type ("member" of MEMBER_OF) says nothing.
    const role = r.role && !r.type.toLowerCase().includes(r.role.toLowerCase().replace(/\s+/g, '_')) ? r.role : '';
    const label = relLabel(r.type) + (role ? ` (${role})` : '');
    s += r.fromId === p.nodes[i].id ? ` — ${label} → ` : ` ← ${label} — `;
    s += p.nodes[i + 1].name;
  });
  return s;
}

function renderPaths() {
  const box = $('path-result');
  const res = lastPaths;
  if (!res) {
    fill(box);
    return;
  }
  if (!res.all.length) {
    fill(box, el('p', { class: 'note' }, t('path.none')));
    return;
  }
  const list = (paths, cls) =>
    el(
      'ol',
      { class: `paths ${cls}` },
      paths.map((p) =>
        el(
          'li',
          {},
          el('p', { class: 'words' }, pathWords(p)),
          el(
            'div',
            { class: 'path-meta' },
            el('span', {}, plural('path.hops', p.length)),
            el('button', { type: 'button', class: 'small', onclick: () => highlightPaths([p]) }, t('path.show')),
          ),
          el(
            'details',
            { class: 'hops' },
            el('summary', {}, t('details.source')),
            el(
              'ul',
              {},
              hopRelations(p).map(({ r, i }) =>
                el('li', {}, el('span', {}, pathWords({ nodes: p.nodes.slice(i, i + 2), relations: [r] })), r.start || r.end ? el('span', { class: 'meta' }, ` · ${dates(r)}`) : null, source(r.document, r.quote)),
              ),
            ),
          ),
        ),
      ),
    );
  fill(box,
    el(
      'div',
      { class: 'path-head' },
      el('h4', {}, res.sub ? t('path.shortestMany', { paths: plural('count.shortestPaths', res.sub.pathCount), hops: plural('path.hops', res.all[0].length), m: res.all.length, e: number(res.sub.layers.reduce((s, l) => s + l.entities.length, 0)) }) : t('path.shortest', { n: res.all.length, hops: plural('path.hops', res.all[0].length) })),
      el('button', { type: 'button', class: 'small', onclick: highlightShortest }, t('path.show')),
    ),
    list(res.all, 'shortest'),
    res.k.length ? el('h4', {}, t('path.alternatives', { paths: plural('count.shortestPaths', res.k.length) })) : null,
    res.k.length ? list(res.k, 'alternatives') : null,
    el('div', { class: 'actions' }, el('button', { type: 'button', id: 'export-paths', onclick: exportPaths }, t('export.csv'))),
  );
}

function exportPaths() {
  if (!lastPaths) return;
  const rows = [...lastPaths.all.map((p) => ['shortest', p.length, pathWords(p), p.nodes.map((n) => n.id).join(' ')]), ...lastPaths.k.map((p) => ['alternative', p.length, pathWords(p), p.nodes.map((n) => n.id).join(' ')])];
  download(`coopgraph-paths-${state.from}-${state.to}.csv`, csv(['set', 'length', 'path', 'ids'], rows));
}

function fillTypes() {
  const box = $('path-types');
  fill(box,
    ...info.relationTypes.map((rt) =>
      el('label', { class: 'check' }, el('input', { type: 'checkbox', value: rt.type, checked: state.types.includes(rt.type) }), `${relLabel(rt.type)} (${number(rt.count)})`),
    ),
  );
}

// ---------- rankings ----------

function fillKinds() {
  const sel = $('rank-kind');
  fill(sel, el('option', { value: '' }, t('rankings.allKinds')), ...info.kinds.map((k) => el('option', { value: k.kind }, `${kindLabel(k.kind)} (${number(k.count)})`)));
  sel.value = state.kind;
}

function renderRankings() {
  $('rank-about').textContent = `${t('rankings.about')} ${t(`explain.${state.rankMeasure}`)}`;
  const size = $('rank-size');
  size.hidden = state.rankMeasure === state.measure;
  size.textContent = t('rankings.sizeBy', { measure: t(`measure.${state.rankMeasure}`) });
  rankings.show(state.rankMeasure, state.kind);
}

// The rankings tab draws what rankings.js tells it: a ranking (exact or
// approximate), that it is still working, a failure, a cancellation.
function rankingCallbacks() {
  return {
    onWorking: showRankingWork,
    onResult: showRanking,
    // Waiting for the exact ranking, the server's refusal is a detail;
    // otherwise it is the news, with what to do about it.
    onError: (err, { measure, waiting, retry }) => {
      const lines = waiting ? [t('error', { message: err.message, code: err.code })] : errorWords(err);
      fill($('rankings-status'),
        el('div', { class: waiting ? 'note waiting' : 'problem', role: waiting ? null : 'alert' },
          waiting ? el('p', {}, el('strong', {}, t('rankings.waiting', { measure: t(`measure.${measure}`) }))) : null,
          ...lines.map((line) => el('p', { class: waiting ? 'detail' : null }, line)),
          waiting ? el('p', { class: 'checked', 'aria-hidden': 'true' }) : null,
          el('button', { type: 'button', class: 'small', onclick: retry }, t('retry')),
        ),
      );
      if (!waiting) fill($('rankings-result'));
    },
    // A poll found the exact ranking not ready yet: say when it was asked,
    // and anything new the progress tells (redrawn only then: the note is
    // in a live region).
    onChecked: ({ result, progress, at }) => {
      const note = $('rank-approx');
      if (result && !result.exact && note && note.dataset.expected !== expectedText(progress)) fill($('rankings-status'), rankingNote(result, false));
      const line = $('rankings-status').querySelector('.checked');
      if (line) line.textContent = t('rankings.checked', { time: clock(at) });
    },
    onCancelled: ({ measure, retry }) => {
      fill($('rankings-status'), el('p', { class: 'note' }, t('rankings.cancelled', { measure: t(`measure.${measure}`) }), ' ', el('button', { type: 'button', class: 'small', onclick: retry }, t('retry'))));
    },
  };
}

// showRankingWork says what the server is computing and for how long; the
// count of seconds is not read out each second (aria-hidden), the rest once.
// The table of the ranking asked before goes: the select names another.
function showRankingWork({ measure, elapsedMs, cancel }) {
  const box = $('rankings-status');
  let work = box.querySelector('.working');
  if (!work || work.dataset.measure !== measure || work.lang !== language()) {
    work = el('div', { class: 'working', lang: language(), dataset: { measure } },
      el('span', { class: 'spinner', 'aria-hidden': 'true' }),
      el('p', {}, t('rankings.working', { measure: t(`measure.${measure}`), n: number(info?.entities ?? 0) })),
      el('p', { class: 'elapsed', 'aria-hidden': 'true' }),
      el('button', { type: 'button', class: 'small', id: 'rank-cancel', onclick: cancel }, t('cancel')),
    );
    fill(box, work);
    fill($('rankings-result'));
  }
  work.querySelector('.elapsed').textContent = t('rankings.elapsed', { elapsed: seconds(elapsedMs) });
}

// showRanking draws a ranking; an approximate one says how far each score
// may be from the exact one and that the table will update itself, an
// update to the exact one says so once.
function showRanking(res, { updated }) {
  if (res.measure !== state.rankMeasure || res.kind !== state.kind) return;
  fill($('rankings-status'), rankingNote(res, updated));
  lastRanking = res.rows;
  remember(res.rows.map((r) => r.entity));
  const eps = res.exact ? null : res.epsilon;
  const epsText = eps ? decimal(eps, 6) : '';
  fill($('rankings-result'),
    el(
      'table',
      { class: `ranking${res.exact ? '' : ' approximate'}` },
      el('caption', {}, plural('rankings.caption', res.rows.length, { total: number(res.totalCount), measure: t(`measure.${res.measure}`) })),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', class: 'num' }, t('rankings.rank')), el('th', { scope: 'col' }, t('rankings.name')), el('th', { scope: 'col' }, t('rankings.kindCol')), el('th', { scope: 'col', class: 'num' }, eps ? t('rankings.scoreApprox', { epsilon: epsText }) : t('rankings.score')))),
      el(
        'tbody',
        {},
        res.rows.map((r) =>
          el(
            'tr',
            { class: r.entity.id === state.sel ? 'selected' : null },
            el('td', { class: 'num' }, r.rank),
            el('td', {}, swatch(kindColours[r.entity.kind] ?? otherColour), entityButton(r.entity)),
            el('td', {}, kindLabel(r.entity.kind)),
            el('td', { class: 'num' }, number(r.score, 4), eps ? el('span', { class: 'pm' }, ` ± ${epsText}`) : null),
          ),
        ),
      ),
    ),
  );
}

// rankingNote says how a ranking relates to the exact one: nothing for an
// exact one, unless it just replaced an approximation.
function rankingNote(res, updated) {
  if (res.exact) return updated ? el('p', { class: 'note updated' }, t('rankings.updated', { time: clock(res.at) })) : null;
  const epsilon = decimal(res.epsilon, 6);
  const expected = expectedText(res.progress);
  return el(
    'div',
    { class: 'note approximate', id: 'rank-approx', dataset: { expected } },
    el('p', {}, el('strong', {}, t('rankings.approx', { epsilon, p: decimal(1 - res.delta, 6) }))),
    el('p', {}, t('rankings.approx.order', { epsilon })),
    el('p', {}, t('rankings.approx.update'), expected ? ` ${expected}` : null),
    el('p', { class: 'checked', 'aria-hidden': 'true' }),
  );
}

// expectedText says how far the exact ranking's computation is and when
// it is expected, from the progress the server gave (api.js's
// progressFields): the time is the server's estimate from the rate so
// far, rounded to seconds under a minute and a half, minutes above.
function expectedText(progress) {
  if (!progress || progress.exactReady) return '';
  if (!progress.running) return t('rankings.expected.queued');
  const done = Math.floor((progress.done ?? 0) * 100);
  const s = progress.expectedInSeconds;
  if (s == null) return t('rankings.expected.running', { done });
  const within = s < 90 ? seconds(s * 1000) : plural('minutes', Math.round(s / 60));
  return t('rankings.expected', { done, in: within });
}

// markSelected marks the selected entity's row in the rankings.
function markSelected() {
  for (const tr of document.querySelectorAll('table.ranking tbody tr')) {
    tr.classList.toggle('selected', tr.querySelector('button[data-id]')?.dataset.id === state.sel);
  }
}

// ---------- partners ----------

async function renderPartners() {
  const box = $('partners-result');
  if (!state.sel) {
    fill(box, el('p', { class: 'empty' }, t('partners.empty')));
    return;
  }
  const id = state.sel;
  const rows = await api.partners(id);
  if (state.sel !== id) return;
  lastPartners = { id, rows };
  for (const p of rows) remember([p.partner, ...p.contexts]);
  fill(box,
    el('div', { class: 'table-actions' }, el('button', { type: 'button', id: 'export-partners', onclick: exportPartners }, t('export.csv'))),
    rows.length
      ? el(
          'table',
          { class: 'partners' },
          el('caption', {}, t('partners.caption', { name: nameOf(id) })),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('partners.partner')), el('th', { scope: 'col', class: 'num' }, t('partners.count')), el('th', { scope: 'col' }, t('partners.contexts')))),
          el(
            'tbody',
            {},
            rows.map((p) =>
              el(
                'tr',
                {},
                el('td', {}, swatch(kindColours[p.partner.kind] ?? otherColour), entityButton(p.partner, { onclick: () => guard(select)(p.partner.id, { focus: true, keepTab: true }) })),
                el('td', { class: 'num' }, p.count),
                el(
                  'td',
                  {},
                  el(
                    'ul',
                    { class: 'contexts' },
                    p.contexts.map((c) => el('li', {}, entityButton(c, { onclick: () => guard(select)(c.id, { focus: true }) }), el('span', { class: 'meta' }, ` ${kindLabel(c.kind)}`))),
                  ),
                ),
              ),
            ),
          ),
        )
      : el('p', { class: 'note' }, t('partners.none')),
  );
}

function exportPartners() {
  if (!lastPartners) return;
  const rows = lastPartners.rows.map((p) => [p.partner.id, p.partner.name, p.partner.kind, p.count, p.contexts.map((c) => c.name).join('; ')]);
  download(`coopgraph-partners-${lastPartners.id}.csv`, csv(['id', 'name', 'kind', 'shared', 'contexts'], rows));
}

// ---------- tabs ----------

function setTab(name) {
  state.tab = name;
  for (const tab of tabs) {
    const button = $(`tab-${tab}`);
    const on = tab === name;
    button.setAttribute('aria-selected', on ? 'true' : 'false');
    button.tabIndex = on ? 0 : -1;
    $(`pane-${tab}`).hidden = !on;
  }
  writeURL();
  if (name === 'rankings') renderRankings();
  else rankings.leave();
  if (name === 'partners') guard(renderPartners)();
  if (name === 'regions') guard(renderRegions)();
  else regionsTab.leave();
  if (name === 'path') {
    highlightShortest();
  } else if (lastPaths) {
    view.highlight(null);
  }
}

function tabKeys(e) {
  const i = tabs.indexOf(state.tab);
  let next = null;
  if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
  else if (e.key === 'ArrowLeft') next = tabs[(i + tabs.length - 1) % tabs.length];
  else if (e.key === 'Home') next = tabs[0];
  else if (e.key === 'End') next = tabs.at(-1);
  if (!next) return;
  e.preventDefault();
  setTab(next);
  $(`tab-${next}`).focus();
}

// ---------- view mode, language, exports ----------

function setView(mode) {
  state.view = view.drawable ? mode : 'list';
  $('view-graph').setAttribute('aria-pressed', state.view === 'graph' ? 'true' : 'false');
  $('view-list').setAttribute('aria-pressed', state.view === 'list' ? 'true' : 'false');
  $('graph').hidden = state.view !== 'graph';
  $('list').hidden = state.view !== 'list';
  $('export-png').disabled = state.view !== 'graph';
  if (state.view === 'graph') view.show();
  writeURL();
  renderList();
}

function setLang(lang) {
  state.lang = lang;
  setLanguage(lang);
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', b.dataset.lang === lang ? 'true' : 'false');
  translate();
  fillMeasures();
  if (info) {
    fillKinds();
    fillTypes();
    fillPathForm();
    credits();
  }
  writeURL();
  status();
  renderLegend();
  renderList();
  renderPaths();
  if (!booted) return;
  if (state.sel) guard(renderDetails)();
  if (state.tab === 'rankings') renderRankings();
  if (state.tab === 'partners') guard(renderPartners)();
  if (state.tab === 'regions') guard(renderRegions)();
  if (startCtx) relabelStart(startCtx);
}

// renderRegions shows the partner regions of the selected region or
// country, else of the default region.
function renderRegions() {
  const sel = state.sel ? { id: state.sel, name: nameOf(state.sel), kind: names.get(state.sel)?.kind } : null;
  return regionsTab.show(sel);
}

// startQuestion runs a start panel's question and closes the panel.
function startQuestion(fn) {
  return () => {
    $('start-panel').hidden = true;
    $('home').setAttribute('aria-expanded', 'false');
    fn();
  };
}

// fillMeasures lists the measures in both selects, each with its plain
// explanation as a tooltip: size by (state.measure) and the rankings'
// (state.rankMeasure), which are chosen apart.
function fillMeasures() {
  for (const [sel, value] of [[$('measure'), state.measure], [$('rank-measure'), state.rankMeasure]]) {
    fill(sel, ...measures.map((m) => el('option', { value: m, title: t(`explain.${m}`) }, t(`measure.${m}`))));
    sel.value = value;
  }
}

// setMeasure sizes the entities in view by m; the rankings keep theirs.
async function setMeasure(m) {
  state.measure = m;
  $('measure').value = m;
  scores = new Map();
  writeURL();
  if (state.tab === 'rankings') renderRankings(); // the "size by" button
  await restyle();
}

// setRankMeasure ranks by m; the graph keeps its size.
function setRankMeasure(m) {
  state.rankMeasure = m;
  $('rank-measure').value = m;
  writeURL();
  if (state.tab === 'rankings') renderRankings();
}

function exportName(ext) {
  return whole ? `coopgraph-network.${ext}` : `coopgraph-view-${view.size}.${ext}`;
}

// ---------- start ----------

async function main() {
  regionsTab = new Regions({
    busy,
    guard,
    entityButton: (e) => entityButton(e),
    changed: () => writeURL(),
    cancel: (kind) => busyKinds.get(kind)?.abort(),
  });
  readURL();
  setLanguage(state.lang);
  view = new GraphView($('graph'), { onSelect: (id) => guard(select)(id) });
  rankings = new Rankings(rankingCallbacks());
  // Read-only, for the browser tests (web/e2e/page-perf.test.mjs): what is
  // drawn and where sigma's camera is.
  window.__coopgraph = Object.freeze({
    nodes: () => view.graph.order,
    edges: () => view.graph.size,
    camera: () => (view.renderer ? { ...view.renderer.getCamera().getState() } : null),
    // Each drawn entity's place on the canvas and whether it is inside it
    // (web/e2e/regions.test.mjs: the page opens with its region on screen).
    onScreen: () => {
      if (!view.renderer) return null;
      const { width, height } = view.renderer.getDimensions();
      return view.graph.nodes().map((id) => {
        const p = view.renderer.framedGraphToViewport(view.renderer.getNodeDisplayData(id));
        return { id, x: p.x, y: p.y, inside: p.x >= 0 && p.y >= 0 && p.x <= width && p.y <= height };
      });
    },
  });
  if (!view.drawable) {
    fill($('graph'), el('p', { class: 'note' }, t('graph.nowebgl')));
    state.view = 'list';
  }
  setLang(state.lang);
  $('colour').value = state.colour;
  setView(state.view);

  fromBox = combo($('path-from'), $('path-from-list'), () => {});
  toBox = combo($('path-to'), $('path-to-list'), () => {});
  avoidBox = combo($('path-avoid'), $('path-avoid-list'), () => {});
  combo($('search'), $('search-list'), (e) => guard(select)(e.id, { focus: true }));
  startCtx = {
    home: () => regionsTab.home,
    selected: () => (state.sel ? nameOf(state.sel) : ''),
    regions: startQuestion(() => {
      regionsTab.useHome(state.sel);
      setTab('regions');
      $('tab-regions').focus();
    }),
    path: startQuestion(() => (regionsTab.home ? startPath('from', regionsTab.home.id) : (setTab('path'), $('path-from').focus()))),
    rankings: startQuestion(() => {
      setTab('rankings');
      $('tab-rankings').focus();
    }),
    partners: startQuestion(() => (state.sel ? (setTab('partners'), $('tab-partners').focus()) : $('search').focus())),
  };
  wireStart(startCtx);

  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLang(b.dataset.lang));
  $('view-graph').addEventListener('click', () => setView('graph'));
  $('view-list').addEventListener('click', () => setView('list'));
  $('colour').addEventListener(
    'change',
    guard(async () => {
      state.colour = $('colour').value;
      writeURL();
      await restyle();
    }),
  );
  $('measure').addEventListener('change', guard(() => setMeasure($('measure').value)));
  $('rank-measure').addEventListener('change', () => setRankMeasure($('rank-measure').value));
  $('rank-size').addEventListener('click', guard(() => setMeasure(state.rankMeasure)));
  $('rank-kind').addEventListener('change', () => {
    state.kind = $('rank-kind').value;
    writeURL();
    renderRankings();
  });
  $('fit').addEventListener('click', () => view.fit());
  $('expand').addEventListener(
    'click',
    guard(() => state.sel && expand(state.sel)),
  );
  $('path-form').addEventListener('submit', (e) => {
    e.preventDefault();
    guard(findPaths)();
  });
  $('path-swap').addEventListener('click', () => {
    const [a, b] = [fromBox.id, toBox.id];
    fromBox.set(b);
    toBox.set(a);
  });
  $('path-clear').addEventListener('click', () => {
    fromBox.set('');
    toBox.set('');
    avoidBox.set('');
    lastPaths = null;
    view.highlight(null);
    readPathForm();
    writeURL();
    renderPaths();
  });
  for (const tab of tabs) $(`tab-${tab}`).addEventListener('click', () => setTab(tab));
  document.querySelector('[role=tablist]').addEventListener('keydown', tabKeys);
  $('export-png').addEventListener(
    'click',
    guard(async () => download(exportName('png'), await view.png())),
  );
  $('export-graphml').addEventListener('click', () => {
    const v = view.visible();
    download(exportName('graphml'), graphML(v.nodes, v.edges));
  });
  $('export-gexf').addEventListener('click', () => {
    const v = view.visible();
    download(exportName('gexf'), gexf(v.nodes, v.edges));
  });
  $('export-list').addEventListener('click', () => {
    const rows = listRows().map((r) => [r.id, r.name, r.kind, r.score ?? '', r.community ?? '']);
    download(exportName('csv'), csv(['id', 'name', 'kind', state.measure.toLowerCase(), 'community'], rows));
  });
  $('export-rankings').addEventListener('click', () => {
    const rows = lastRanking.map((r) => [r.rank, r.entity.id, r.entity.name, r.entity.kind, r.score]);
    download(`coopgraph-${state.rankMeasure.toLowerCase()}${state.kind ? '-' + state.kind : ''}.csv`, csv(['rank', 'id', 'name', 'kind', 'score'], rows));
  });
  // "/" jumps to the search from anywhere but a text field.
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName)) {
      e.preventDefault();
      $('search').focus();
    }
  });

  await start();
  fillPathForm();
  setTab(state.tab);
  if (state.sel) await select(state.sel, { keepTab: true });
  if (state.from && state.to) await findPaths();
  booted = true;
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  showError(err);
  document.body.dataset.ready = 'error';
});
