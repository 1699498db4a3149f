// The page's filter: by kind, country, region, programme, period and
// source, one state for every view. It lives in the URL (fkind, fcountry,
// fregion, fprog, ffrom, fto, fdataset, fdoc; each value a parameter of its
// own, as documents hold commas) and goes to the API as an EntityFilter
// (api.setFilter): the graph's expansion brings only entities that pass,
// the rankings rank only them (their scores still those of the whole
// network, which the rankings tab says), and paths pass only through
// them. Entities already in view that do not pass are hidden, not
// removed, with a note saying how many; the list leaves them out too.
//
// The panel is built here, under the stage's toolbar: a disclosure with
// the fields, and the active filters as removable chips with "Clear all".
import * as api from './api.js';
import { plural, t } from './i18n.js';
import { el } from './dom.js';

const fields = ['kinds', 'countries', 'regions', 'programmes', 'datasets', 'documents'];
const params = { kinds: 'fkind', countries: 'fcountry', regions: 'fregion', programmes: 'fprog', datasets: 'fdataset', documents: 'fdoc' };

// The filter in force: lists of values, and the period as years (0: open).
const state = { kinds: [], countries: [], regions: [], programmes: [], datasets: [], documents: [], from: 0, to: 0 };

let choices = null; // what the panel offers (api.filterChoices)
const names = new Map(); // region, country and programme id → name
let known = new Map(); // id → passes, for the filter in force
let onChange = () => {};
let regionCtrl = null;


// ---------- state and URL ----------

export function read(q) {
  for (const f of fields) state[f] = [...new Set(q.getAll(params[f]).filter(Boolean))];
  state.from = year(q.get('ffrom'));
  state.to = year(q.get('fto'));
  changed();
}

export function write(q) {
  for (const f of fields) for (const v of state[f]) q.append(params[f], v);
  if (state.from) q.set('ffrom', String(state.from));
  if (state.to) q.set('fto', String(state.to));
}

function year(s) {
  const n = Number.parseInt(s ?? '', 10);
  return Number.isFinite(n) && n >= 1000 && n <= 9999 ? n : 0;
}

// active tells whether a filter is in force.
export function active() {
  return fields.some((f) => state[f].length > 0) || state.from > 0 || state.to > 0;
}

// input is the filter as the API's EntityFilter, null when none.
export function input() {
  if (!active()) return null;
  const f = {};
  for (const k of fields) if (state[k].length) f[k] = state[k];
  if (state.from) f.activeFrom = String(state.from);
  if (state.to) f.activeTo = String(state.to);
  return f;
}

// changed hands the filter to the API and forgets what passed the last one.
function changed() {
  api.setFilter(input());
  known = new Map();
}

function update() {
  changed();
  render();
  onChange();
}

function add(field, value, name) {
  if (name) names.set(value, name);
  if (!value || state[field].includes(value)) return;
  state[field] = [...state[field], value];
  update();
}

function remove(field, value) {
  if (field === 'period') {
    state.from = 0;
    state.to = 0;
  } else {
    state[field] = state[field].filter((v) => v !== value);
  }
  update();
}

function clearAll() {
  for (const f of fields) state[f] = [];
  state.from = 0;
  state.to = 0;
  update();
}

// ---------- the graph and the list ----------

// shows tells whether the entity with this id passes the filter (true
// while unknown: apply asks first).
export function shows(id) {
  return !active() || known.get(id) !== false;
}

// apply asks which entities in view pass the filter (those not asked about
// yet), hides the others in the graph, and says how many are hidden.
export async function apply(view, signal) {
  const graph = view.graph;
  if (active()) {
    const ask = view.ids().filter((id) => !known.has(id));
    const key = api.filterKey();
    for (let i = 0; i < ask.length; i += 5000) {
      const part = ask.slice(i, i + 5000);
      const got = await api.members(part, input(), signal);
      if (key !== api.filterKey()) return; // a newer filter took over
      const kept = new Set(got.kept);
      for (const id of part) known.set(id, kept.has(id));
    }
  }
  let hidden = 0;
  for (const id of view.ids()) {
    const hide = !shows(id);
    if (hide) hidden++;
    if (Boolean(graph.getNodeAttribute(id, 'hidden')) !== hide) graph.setNodeAttribute(id, 'hidden', hide);
  }
  view.renderer?.refresh();
  note('filter-note', hidden ? plural('filters.hidden', hidden) : active() ? t('filters.noneHidden') : '');
}

// ---------- the panel ----------

// init builds the panel and the views' notes; change is called whenever
// the user changes the filter.
export async function init(change) {
  onChange = change;
  const bar = el('section', { id: 'filter-bar', class: 'filter-bar', 'aria-labelledby': 'filter-title' });
  document.querySelector('.stage .toolbar').after(bar);
  document.getElementById('status').after(el('p', { id: 'filter-note', class: 'filter-note', hidden: true }));
  document.querySelector('#pane-rankings .filters').after(el('p', { id: 'rank-filter-note', class: 'filter-note', hidden: true }));
  document.getElementById('path-result').before(el('p', { id: 'path-filter-note', class: 'filter-note', hidden: true }));
  render();
  try {
    choices = await api.filterChoices();
  } catch {
    choices = null; // the panel offers what it can; the rest of the page goes on
  }
  for (const c of [...(choices?.countries ?? []), ...(choices?.programmes ?? [])]) names.set(c.id, c.name);
  const unnamed = state.regions.filter((id) => !names.has(id));
  if (unnamed.length) {
    try {
      for (const e of await api.entities(unnamed)) names.set(e.id, e.name);
    } catch {
      // the chip shows the id
    }
  }
  render();
}

// render draws the panel, the chips and the views' notes in the current
// language.
export function render() {
  const bar = document.getElementById('filter-bar');
  if (!bar) return;
  const open = bar.querySelector('details')?.open ?? false;
  const focused = document.activeElement?.id; // kept across the redraw
  const count = chips().length;
  bar.replaceChildren(
    el('h2', { id: 'filter-title', class: 'sr-only' }, t('filters.title')),
    el(
      'details',
      { class: 'filter-panel', open },
      el('summary', {}, count ? plural('filters.summaryActive', count) : t('filters.summary')),
      form(),
    ),
    chipList(),
  );
  if (focused && !document.activeElement?.id) document.getElementById(focused)?.focus();
  const on = active();
  note('rank-filter-note', on ? t('filters.rankings') : '');
  note('path-filter-note', on ? t('filters.paths') : '');
  if (!on) note('filter-note', '');
}

function note(id, text) {
  const p = document.getElementById(id);
  if (!p) return;
  p.textContent = text;
  p.hidden = !text;
}

function form() {
  const kinds = choices?.kinds ?? [];
  return el(
    'div',
    { class: 'filter-fields' },
    el(
      'fieldset',
      { class: 'filter-kinds' },
      el('legend', {}, t('filters.kind')),
      kinds.map((k) =>
        el(
          'label',
          { class: 'check' },
          el('input', {
            type: 'checkbox',
            id: `filter-kind-${k}`,
            value: k,
            checked: state.kinds.includes(k),
            onchange: (e) => (e.target.checked ? add('kinds', k) : remove('kinds', k)),
          }),
          t(`kind.${k}`),
        ),
      ),
    ),
    picker('filter-country', t('filters.country'), t('filters.addCountry'), choices?.countries ?? [], 'countries'),
    regionBox(),
    picker('filter-programme', t('filters.programme'), t('filters.addProgramme'), choices?.programmes ?? [], 'programmes'),
    el(
      'fieldset',
      { class: 'filter-period' },
      el('legend', {}, t('filters.period')),
      yearBox('filter-from', t('filters.from'), 'from'),
      yearBox('filter-to', t('filters.to'), 'to'),
    ),
    sourcePicker(),
  );
}

// picker is a select that adds its choice to field.
function picker(id, label, prompt, list, field) {
  const select = el(
    'select',
    {
      id,
      onchange: (e) => {
        const v = e.target.value;
        if (v) add(field, v, names.get(v));
      },
    },
    el('option', { value: '' }, prompt),
    list.filter((c) => !state[field].includes(c.id)).map((c) => el('option', { value: c.id }, c.name)),
  );
  return el('label', { class: 'field', for: id }, el('span', {}, label), select);
}

function sourcePicker() {
  const datasets = choices?.datasets ?? [];
  const documents = choices?.documents ?? [];
  const select = el(
    'select',
    {
      id: 'filter-source',
      onchange: (e) => {
        const [field, v] = [e.target.selectedOptions[0]?.dataset.field, e.target.value];
        if (v && field) add(field, v);
      },
    },
    el('option', { value: '' }, t('filters.addSource')),
    el('optgroup', { label: t('filters.datasets') }, datasets.filter((d) => !state.datasets.includes(d)).map((d) => el('option', { value: d, 'data-field': 'datasets' }, d))),
    el('optgroup', { label: t('filters.documents') }, documents.filter((d) => !state.documents.includes(d)).map((d) => el('option', { value: d, 'data-field': 'documents' }, shorten(d)))),
  );
  return el('label', { class: 'field', for: 'filter-source' }, el('span', {}, t('filters.source')), select);
}

function yearBox(id, label, which) {
  const lo = choices?.firstYear ?? 1900;
  const hi = choices?.lastYear ?? 2100;
  const box = el('input', {
    id,
    type: 'number',
    inputmode: 'numeric',
    min: String(lo),
    max: String(hi),
    step: '1',
    value: state[which] ? String(state[which]) : '',
    onchange: (e) => {
      state[which] = year(e.target.value);
      update();
    },
  });
  return el('label', { class: 'field', for: id }, el('span', {}, label), box);
}

// regionBox finds regions by name as the user types; choosing one adds it.
function regionBox() {
  const results = el('select', {
    id: 'filter-region-results',
    'aria-label': t('filters.regionResults'),
    hidden: true,
    onchange: (e) => {
      const o = e.target.selectedOptions[0];
      if (o?.value) add('regions', o.value, o.textContent);
    },
  });
  let timer = 0;
  const box = el('input', {
    id: 'filter-region',
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '100',
    placeholder: t('filters.regionPlaceholder'),
    oninput: (e) => {
      clearTimeout(timer);
      const text = e.target.value.trim();
      timer = setTimeout(() => findRegions(text, results), 250);
    },
  });
  return el('div', { class: 'filter-region' }, el('label', { class: 'field', for: 'filter-region' }, el('span', {}, t('filters.region')), box), results);
}

async function findRegions(text, results) {
  regionCtrl?.abort();
  if (!text) {
    results.hidden = true;
    return;
  }
  regionCtrl = new AbortController();
  try {
    const found = await api.regions(text, regionCtrl.signal);
    results.replaceChildren(
      el('option', { value: '' }, found.length ? plural('filters.regionsFound', found.length) : t('filters.noRegion')),
      found.map((e) => el('option', { value: e.id }, e.name)),
    );
    results.hidden = false;
  } catch (err) {
    if (!api.aborted(err)) {
      results.replaceChildren(el('option', { value: '' }, err.message));
      results.hidden = false;
    }
  }
}

// chips are the active filters, each with what removes it.
function chips() {
  const out = [];
  for (const k of state.kinds) out.push([t('filters.kind'), t(`kind.${k}`), 'kinds', k]);
  for (const c of state.countries) out.push([t('filters.country'), names.get(c) ?? c, 'countries', c]);
  for (const r of state.regions) out.push([t('filters.region'), names.get(r) ?? r, 'regions', r]);
  for (const p of state.programmes) out.push([t('filters.programme'), names.get(p) ?? p, 'programmes', p]);
  if (state.from || state.to) out.push([t('filters.period'), `${state.from || '…'}–${state.to || '…'}`, 'period', '']);
  for (const d of state.datasets) out.push([t('filters.source'), d, 'datasets', d]);
  for (const d of state.documents) out.push([t('filters.source'), shorten(d), 'documents', d]);
  return out;
}

function chipList() {
  const list = chips();
  if (!list.length) return el('p', { class: 'filter-none' }, t('filters.none'));
  return el(
    'div',
    { class: 'filter-chips' },
    el('span', { class: 'group-label' }, t('filters.activeLabel')),
    el(
      'ul',
      { class: 'chips', 'aria-label': t('filters.activeLabel') },
      list.map(([what, value, field, v]) =>
        el(
          'li',
          {},
          el(
            'button',
            { type: 'button', class: 'chip', 'aria-label': t('filters.remove', { what, value }), onclick: () => remove(field, v) },
            `${what}: ${value}`,
            el('span', { 'aria-hidden': 'true' }, ' ×'),
          ),
        ),
      ),
    ),
    el('button', { type: 'button', class: 'small', id: 'filter-clear', onclick: clearAll }, t('filters.clear')),
  );
}

function shorten(s) {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
