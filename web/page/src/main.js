// The coopgraph page: search, the graph (or its list), details, path
// finder, rankings and partners, with the whole view kept in the URL.
import './page.css';
import * as api from './api.js';
import { dates, showDetails, sourceView } from './details.js';
import { csv, download, gexf, graphML } from './exports.js';
import * as filters from './filters.js';
import { clock, day, decimal, language, languages, number, plural, seconds, setLanguage, t, translate } from './i18n.js';
import { roleLabel } from './words.js';
import { measures } from './measures.gen.js';
import { Rankings, rankingPage, workingAfterMs } from './rankings.js';
import { GraphView, labelLevels } from './view.js';
import { legendFrame, menu, reservedBox } from './disclosure.js';
import { compose, png } from './picture.js';
import { readInteractURL, setupInteract, writeInteractURL } from './interact.js';
import { createPaths } from './paths.js';
import { focusFirstNew, pager } from './paging.js';
import { Regions, relabelStart, wireStart } from './regions.js';
import { el, fill } from './dom.js';

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
  labels: 'some', // how many labels the graph draws (view.js's labelLevels)
};

let info = null; // overview
let whole = false; // the whole network is in view
let view = null;
let scores = new Map(); // id → {score, rank} under state.measure
let communities = new Map(); // id → {community, size}
const names = new Map(); // id → {name, kind} of every entity the page has seen
const cursors = new Map(); // id → endCursor of its expanded neighbours
let paths = null; // the path finder's answer (paths.js)
let lastRanking = [];
let rankings = null; // the rankings tab's requests (rankings.js)
let lastPartners = null;
let booted = false; // the first view is restored
let interact = null; // the context menu, hiding, focus, picking (interact.js)
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
  state.labels = Object.hasOwn(labelLevels, q.get('labels') ?? '') ? q.get('labels') : 'some';
  readInteractURL(q);
  filters.read(q);
  regionsTab?.readURL(q);
}

function clampInt(s, lo, hi, def) {
  const n = Number.parseInt(s ?? '', 10);
  return Number.isFinite(n) && n >= lo && n <= hi ? n : def;
}

// writeURL writes the view into the URL: a meaningful change (push: a
// selection, a path search, a tab) is a new history entry that Back
// returns from; the rest (and anything while restoring an entry)
// replaces the current one, so typing or choosing a colour does not
// flood the history.
function writeURL({ push = false } = {}) {
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
  if (state.labels !== 'some') q.set('labels', state.labels);
  writeInteractURL(q);
  filters.write(q);
  regionsTab?.writeURL(q, state.tab);
  const url = `${location.pathname}?${q}`;
  if (url === location.pathname + location.search) return;
  if (push && !restoring && booted) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

// restoring is true while popstate restores a history entry's view.
let restoring = false;

// ensureNames fetches the names of the entities a URL names that the page
// has not seen, so that a pasted or restored link shows names, not ids.
async function ensureNames(ids) {
  const missing = [...new Set(ids.filter((id) => id && !names.has(id)))];
  if (!missing.length) return;
  remember(await api.entities(missing));
}

// restore shows the view of the history entry Back or Forward moved to,
// from its URL, without adding an entry.
async function restore() {
  const prev = { ...state, types: [...state.types] };
  restoring = true;
  try {
    readURL();
    if (state.lang !== prev.lang) setLang(state.lang);
    await ensureNames([state.sel, state.from, state.to, state.avoid]);
    fillPathForm();
    if (state.measure !== prev.measure || state.colour !== prev.colour) {
      $('measure').value = state.measure;
      $('colour').value = state.colour;
      scores = new Map();
      await restyle();
    }
    if (state.view !== prev.view) setView(state.view);
    setTab(state.tab);
    if (state.sel !== prev.sel) {
      if (state.sel) {
        await select(state.sel, { keepTab: true, push: false });
      } else {
        view.select(null);
        status();
        renderList();
        markSelected();
        await renderDetails();
        if (state.tab === 'partners') await renderPartners();
      }
    }
    const key = (s) => JSON.stringify([s.from, s.to, s.k, s.hops, s.avoid, s.year, s.types]);
    if (key(state) !== key(prev)) {
      if (state.from && state.to) await paths.find();
      else paths.clear();
    }
  } finally {
    restoring = false;
  }
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
  $('status').textContent = whole ? t('status.whole', { entities: plural('count.entities', n), relations: plural('count.relations', m) }) : plural('status.part', info.entities, { shown: number(n), relations: plural('count.relations', m) });
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



function swatch(colour) {
  return el('span', { class: 'swatch', style: `background:${colour}`, 'aria-hidden': 'true' });
}

// entityButton is an entity's name that selects it.
function entityButton(e, extra = {}) {
  remember([e]);
  return el('button', { type: 'button', class: 'link', dataset: { id: e.id }, onclick: () => guard(select)(e.id, { focus: true }), ...extra }, e.name);
}

// ---------- search boxes ----------

// Suggestions asked per page.
const suggestPage = 8;

// combo makes input a combobox suggesting entities as one types (the API
// ignores case and diacritics); pick(entity) is called with the chosen one.
function combo(input, list, pick) {
  let items = [];
  let found = { total: 0, hasNext: false, cursor: null, text: '' }; // the search's matches beyond items
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
    // How many of how many matches, and an option that shows more: the
    // suggestions never stop silently at a page.
    if (items.length) {
      const more = found.hasNext ? ` · ${plural('paging.more', Math.min(suggestPage, found.total - items.length))}` : '';
      const li = el(
        'li',
        { id: `${list.id}-${items.length}`, role: 'option', class: found.hasNext ? 'more' : 'none count', 'aria-disabled': found.hasNext ? null : 'true', 'aria-selected': active === items.length ? 'true' : 'false' },
        (found.hasNext ? plural('paging.shown', items.length, { total: number(found.total) }) : t('paging.all', { total: number(found.total) })) + more,
      );
      if (found.hasNext) {
        li.addEventListener('mousedown', (ev) => ev.preventDefault());
        li.addEventListener('click', () => choose(items.length));
      }
      list.append(li);
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const move = (to) => {
    if (!items.length) return;
    const n = items.length + (found.hasNext ? 1 : 0);
    active = (to + n) % n;
    for (const li of list.children) li.setAttribute('aria-selected', li.id === `${list.id}-${active}` ? 'true' : 'false');
    input.setAttribute('aria-activedescendant', `${list.id}-${active}`);
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  };
  const choose = (i) => {
    if (i === items.length && found.hasNext) {
      showMore();
      return;
    }
    const e = items[i];
    if (!e) return;
    // A suggestion still on its way is for the text before the choice.
    clearTimeout(timer);
    asked++;
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
        const page = await api.suggestPage(text, suggestPage);
        if (mine !== asked || input.value.trim() !== text) return;
        items = page.items;
        found = { ...page, text };
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
  // showMore adds the next page of matches; the keyboard stays on the
  // first one added.
  const showMore = async () => {
    const { text, cursor } = found;
    const mine = ++asked;
    try {
      const page = await api.suggestPage(text, suggestPage, cursor);
      if (mine !== asked || input.value.trim() !== text) return;
      const first = items.length;
      items = [...items, ...page.items];
      found = { ...page, text };
      active = first;
      render(text);
      move(first);
    } catch (err) {
      showError(err);
    }
  };
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
      view.fit();
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
    throw new Error(t('error.viewFull', { entities: plural('count.entities', view.size + missing.length), max: number(viewMax) }));
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
  if (!keep) view.fitTo([id, ...ids]);
  if (!keep && !state.open.includes(id)) {
    state.open.push(id);
    writeURL();
  }
}

// restyle colours and sizes the entities in view.
async function restyle() {
  await filters.apply(view).catch(showError);
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
    for (const id of view.ids().filter((id) => filters.shows(id))) {
      const k = view.entity(id).kind;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      items.push([kindColours[k] ?? otherColour, `${kindLabel(k)} (${number(n)})`]);
    }
  }
  legendItems = items;
  legendFrame(box, t('legend.title'), el('div', {},
    el('ul', {}, items.map(([c, label]) => el('li', {}, swatch(c), label))),
    el('p', { class: 'size-note' }, t('legend.size', { measure: t(`measure.${state.measure}`) })),
  ), () => view.redraw());
  box.hidden = view.size === 0;
}

let legendItems = []; // [[colour, label]] the legend shows, for the PNG

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
    .filter((id) => filters.shows(id))
    .map((id) => {
      const a = view.entity(id);
      return { id, name: a.name, kind: a.kind, score: scores.get(id)?.score ?? null, community: communities.get(id)?.community ?? null, links: degree.get(id) ?? 0 };
    })
    .sort((a, b) => a.name.localeCompare(b.name, language()));
}

// ---------- selection and details ----------

async function select(id, { focus = false, keepTab = false, push = true } = {}) {
  state.sel = id;
  interact.reveal([id]);
  writeURL({ push });
  if (!view.has(id) && !whole) await addEntities([id]);
  view.select(id);
  if (focus && state.view === 'graph') view.focus(id);
  if (!keepTab && state.tab !== 'details' && state.tab !== 'partners') setTab('details');
  status();
  renderList();
  markSelected();
  if (startCtx) relabelStart(startCtx);
  await Promise.all([renderDetails(), state.tab === 'partners' ? renderPartners() : null, interact.selected()]);
}

// renderDetails shows the selected entity in the details pane (details.js).
async function renderDetails() {
  await showDetails($('pane-details'), state.sel, {
    current: () => state.sel,
    entityButton,
    colour: (kind) => kindColours[kind] ?? otherColour,
    kindLabel,
    relLabel,
    remember,
    showError,
    actions: (e) => [
      whole ? null : el('button', { type: 'button', onclick: guard(() => expand(e.id)) }, t('expand')),
      el('button', { type: 'button', onclick: () => startPath('from', e.id) }, t('details.pathFrom')),
      el('button', { type: 'button', onclick: () => startPath('to', e.id) }, t('details.pathTo')),
      el('button', { type: 'button', onclick: () => setTab('partners') }, t('details.partners')),
      interact.menuButton(e.id),
    ],
  });
}

// credits shows the credit lines of the loaded sources in the footer.
function credits() {
  const lines = info?.credits ?? [];
  const box = $('credits');
  box.hidden = !lines.length;
  box.textContent = lines.length ? `${t('credits')}: ${lines.join(' · ')}` : '';
  box.title = lines.join('\n');
}

// source is a relation's source in the path finder, as the details pane shows it.
function source(r) {
  return sourceView(r.source ?? r.document, r.quote);
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

// findPaths asks for the paths in the form (paths.js draws and lists
// them); a search the user asked for is a step Back returns from.
async function findPaths({ push = false } = {}) {
  readPathForm();
  writeURL({ push });
  await paths.find();
}

function highlightShortest() {
  paths.highlightShortest();
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

// filtersChanged shows every view under the filter just chosen (filters.js).
async function filtersChanged() {
  cursors.clear();
  writeURL();
  if (state.tab === 'rankings') renderRankings();
  if (state.tab === 'path' && state.from && state.to) guard(findPaths)();
  await restyle();
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
      el('p', {}, plural('rankings.working', info?.entities ?? 0, { measure: t(`measure.${measure}`) })),
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
    pager({ id: 'rankings-pager', shown: res.rows.length, total: res.totalCount, pageSize: rankingPage, hasMore: res.rows.length < Math.min(res.totalCount, 1000), more: () => rankings.more(), onError: showError }),
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

// Partners asked per page.
const partnersPage = 50;

async function renderPartners({ more = false } = {}) {
  const box = $('partners-result');
  if (!state.sel) {
    fill(box, el('p', { class: 'empty' }, t('partners.empty')));
    return;
  }
  const id = state.sel;
  // One page at a time with the total: a hub has thousands of partners.
  const page = more && lastPartners?.id === id ? await api.partnersPage(id, partnersPage, lastPartners.cursor) : await api.partnersPage(id, partnersPage);
  if (state.sel !== id) return;
  const shownBefore = more && lastPartners?.id === id ? lastPartners.rows.length : 0;
  lastPartners = { id, rows: shownBefore ? [...lastPartners.rows, ...page.rows] : page.rows, total: page.total, cursor: page.cursor, hasNext: page.hasNext };
  const rows = lastPartners.rows;
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
                el('td', { class: 'num' }, number(p.count)),
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
    rows.length ? pager({ id: 'partners-pager', shown: rows.length, total: lastPartners.total, pageSize: partnersPage, hasMore: lastPartners.hasNext, more: () => renderPartners({ more: true }), onError: showError }) : null,
  );
  if (shownBefore) focusFirstNew(box.querySelector('table.partners tbody'), shownBefore);
}

function exportPartners() {
  if (!lastPartners) return;
  const rows = lastPartners.rows.map((p) => [p.partner.id, p.partner.name, p.partner.kind, p.count, p.contexts.map((c) => c.name).join('; ')]);
  download(`coopgraph-partners-${lastPartners.id}.csv`, csv(['id', 'name', 'kind', 'shared', 'contexts'], rows));
}

// ---------- tabs ----------

function setTab(name, { push = false } = {}) {
  state.tab = name;
  for (const tab of tabs) {
    const button = $(`tab-${tab}`);
    const on = tab === name;
    button.setAttribute('aria-selected', on ? 'true' : 'false');
    button.tabIndex = on ? 0 : -1;
    $(`pane-${tab}`).hidden = !on;
  }
  writeURL({ push });
  if (name === 'rankings') renderRankings();
  else rankings.leave();
  if (name === 'partners') guard(renderPartners)();
  if (name === 'regions') guard(renderRegions)();
  else regionsTab.leave();
  if (name === 'path') {
    highlightShortest();
  } else if (paths.last) {
    view.highlight(null);
  }
  paths.show();
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
  setTab(next, { push: true });
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
  interact?.renderHidden(); // its count, which translate()'s label leaves out
  filters.render();
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
  paths.render();
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

// withCommunities asks for the communities of the entities in view the
// page does not know yet (it asks for none while colouring by kind), so
// that the list's CSV has a community for each.
async function withCommunities() {
  const need = view.ids().filter((id) => !communities.has(id));
  if (!need.length) return;
  await busy(null, t('busy.communities'), async (signal) => {
    for (let i = 0; i < need.length; i += 5000) {
      for (const c of await api.communityOf(need.slice(i, i + 5000), signal)) communities.set(c.id, c);
    }
  });
  renderList();
}

// picture is the PNG of the graph with what it shows: a title in the
// page's language, how many entities and relations, the date, the legend
// and the credit lines of the sources.
async function picture() {
  const { canvas, scale } = view.snapshot();
  const title = pictureTitle();
  const subtitle = `${t('picture.counts', { entities: plural('count.entities', view.size), relations: plural('count.relations', view.relations.size) })} · ${day(new Date())}`;
  const lines = info?.credits ?? [];
  const credits = lines.length ? [`${t('credits')}: ${lines.join(' · ')}`, t('picture.made')] : [t('picture.made')];
  const out = compose(canvas, { title, subtitle, legendTitle: t('legend.title'), legend: legendItems, legendNote: t('legend.size', { measure: t(`measure.${state.measure}`) }), credits, scale });
  return png(out, {
    Title: title,
    Description: subtitle,
    'Creation Time': new Date().toISOString(),
    Copyright: lines.join('\n'),
    Source: location.href,
    Software: 'coopgraph',
  });
}

// pictureTitle says what the graph shows: the paths found, the
// selection's partners, the whole network or a part of it.
function pictureTitle() {
  if (paths?.last?.all?.length && state.tab === 'path') return t('picture.path', { from: nameOf(state.from), to: nameOf(state.to) });
  if (state.sel) return t('picture.selection', { name: nameOf(state.sel) });
  return whole ? t('picture.whole') : t('picture.part', { entities: plural('count.entities', view.size) });
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
  view = new GraphView($('graph'), { onSelect: (id) => guard(select)(id), reserved: () => reservedBox($('legend'), $('graph')) });
  view.setLabels(state.labels);
  rankings = new Rankings(rankingCallbacks());
  interact = setupInteract({
    view, state, viewMax, el, fill, guard, busy, showError, remember, nameOf, kindLabel, relLabel, writeURL, select, setTab, startPath,
    info: () => info,
    whole: () => whole,
    expand: (id) => expand(id),
    addEntities,
    deselect: () => {
      state.sel = '';
      view.select(null);
      writeURL();
      guard(renderDetails)();
    },
    hidePathDrawing: () => paths?.hideDrawing(),
    pathBetween: (from, to) => {
      fromBox.set(from);
      toBox.set(to);
      setTab('path');
      return findPaths();
    },
    refresh: () => {
      status();
      renderList();
      renderLegend();
    },
  });
  paths = createPaths({
    el,
    fill,
    state,
    view: () => view,
    whole: () => whole,
    busy,
    remember,
    relLabel,
    kindLabel,
    kindColour: (kind) => kindColours[kind] ?? otherColour,
    dates,
    source,
    // What a path brings into view is no longer hidden by the user.
    addEntities: (ids, near) => {
      interact.reveal(ids);
      return addEntities(ids, near);
    },
    showError,
    download,
    csv,
  });
  // Read-only, for the browser tests (web/e2e/page-perf.test.mjs): what is
  // drawn and where sigma's camera is.
  window.__coopgraph = Object.freeze({
    nodes: () => view.graph.order,
    edges: () => view.graph.size,
    camera: () => (view.renderer ? { ...view.renderer.getCamera().getState() } : null),
    // web/e2e/camera.test.mjs: whether the camera is moving, where
    // entities are on the screen, how many labels the last frame drew.
    moving: () => view.renderer?.getCamera().isAnimated() ?? false,
    positions: (ids) => view.positions(ids),
    labels: () => view.labelBoxes.map((b) => [...b]),
    highlighted: () => [...(view.path?.nodes ?? [])],
    pathLayout: () => paths.layout(),
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
  $('labels').value = state.labels;
  setView(state.view);
  menu($('tools-toggle'), $('toolbar'));

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
  $('labels').addEventListener('change', () => {
    state.labels = $('labels').value;
    writeURL();
    view.setLabels(state.labels);
  });
  $('expand').addEventListener(
    'click',
    guard(() => state.sel && expand(state.sel)),
  );
  $('path-form').addEventListener('submit', (e) => {
    e.preventDefault();
    guard(findPaths)({ push: true });
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
    readPathForm();
    writeURL({ push: true });
    paths.clear();
  });
  for (const tab of tabs) $(`tab-${tab}`).addEventListener('click', () => setTab(tab, { push: state.tab !== tab }));
  document.querySelector('[role=tablist]').addEventListener('keydown', tabKeys);
  $('export-png').addEventListener(
    'click',
    guard(async () => download(exportName('png'), await picture())),
  );
  $('export-graphml').addEventListener('click', () => {
    const v = view.visible();
    download(exportName('graphml'), graphML(v.nodes, v.edges, info?.documents));
  });
  $('export-gexf').addEventListener('click', () => {
    const v = view.visible();
    download(exportName('gexf'), gexf(v.nodes, v.edges, info?.documents));
  });
  $('export-list').addEventListener('click', guard(async () => {
    await withCommunities();
    const rows = listRows().map((r) => [r.id, r.name, r.kind, r.score ?? '', r.community ?? '']);
    download(exportName('csv'), csv(['id', 'name', 'kind', state.measure.toLowerCase(), 'community'], rows));
  }));
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

  filters.init(guard(filtersChanged));
  await start();
  await ensureNames([state.sel, state.from, state.to, state.avoid]).catch(showError);
  await interact.restore().catch(showError);
  fillPathForm();
  setTab(state.tab);
  if (state.sel) await select(state.sel, { keepTab: true });
  if (state.from && state.to) await findPaths();
  booted = true;
  window.addEventListener('popstate', () => guard(restore)());
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  showError(err);
  document.body.dataset.ready = 'error';
});
