// The partner regions of a region (issue 17): a ranked table of the regions
// whose organisations share projects with the region's (regionPartnersPage:
// country, NUTS 1 or NUTS 2), filtered by period and programme, paged
// ("20 of 191", never cut silently), each row expandable to its projects,
// exported as CSV; and a map of the partner countries coloured by their
// number of projects, drawn as SVG from Natural Earth's countries (the
// world-atlas package, public domain, bundled: no tiles, nothing fetched).
// The table is the map's text alternative. NUTS regions have no map: the
// open NUTS geometries (Eurostat GISCO) carry EuroGeographics' copyright
// and terms that do not allow bundling them here, so a region is shown
// with its country's flag (see the README).
//
// Also the start panel: the questions people come with, one click each.
import { feature } from 'topojson-client';
import world from 'world-atlas/countries-110m.json';
import * as api from './api.js';
import { csv, download } from './exports.js';
import { language, number, plural, t } from './i18n.js';
import { el as h } from './dom.js';

// defaultRegionID is Małopolska's NUTS 2 code as the NUTS dataset names it:
// the linked network merges the seed's Małopolskie with it, and a network
// without it (the seed alone, CORDIS alone, a generated one) has no
// default region.
export const defaultRegionID = 'nuts:PL21';

const levels = [0, 1, 2];
const pageSize = 20;
const yearMin = 1900;
const yearMax = 2100;

// ISO 3166-1 alpha-2 → numeric, for the 174 countries of world-atlas's
// countries-110m (whose features are keyed by the numeric code; Kosovo has
// none there and is matched by name). From ISO 3166-1 (Debian's iso-codes).
const isoNumeric = new Map(
  (
    'AE784 AF004 AL008 AM051 AO024 AQ010 AR032 AT040 AU036 AZ031 BA070 BD050 BE056 BF854 BG100 BI108 ' +
    'BJ204 BN096 BO068 BR076 BS044 BT064 BW072 BY112 BZ084 CA124 CD180 CF140 CG178 CH756 CI384 CL152 ' +
    'CM120 CN156 CO170 CR188 CU192 CY196 CZ203 DE276 DJ262 DK208 DO214 DZ012 EC218 EE233 EG818 EH732 ' +
    'ER232 ES724 ET231 FI246 FJ242 FK238 FR250 GA266 GB826 GE268 GH288 GL304 GN324 GM270 GW624 GQ226 ' +
    'GR300 GT320 GY328 HN340 HR191 HT332 HU348 ID360 IE372 IL376 IN356 IQ368 IR364 IS352 IT380 JM388 ' +
    'JO400 JP392 KE404 KG417 KH116 KP408 KR410 KW414 KZ398 LA418 LB422 LK144 LR430 LS426 LT440 LU442 ' +
    'LV428 LY434 MA504 MD498 ME499 MG450 MK807 ML466 MM104 MN496 MR478 MW454 MX484 MY458 MZ508 NA516 ' +
    'NC540 NE562 NG566 NI558 NL528 NO578 NP524 NZ554 OM512 PA591 PE604 PG598 PH608 PK586 PL616 PR630 ' +
    'PS275 PT620 PY600 QA634 RO642 RS688 RU643 RW646 SA682 SB090 SD729 SE752 SI705 SK703 SL694 SN686 ' +
    'SO706 SR740 SS728 SV222 SY760 SZ748 TD148 TF260 TG768 TH764 TJ762 TL626 TM795 TN788 TR792 TT780 ' +
    'TW158 TZ834 UA804 UG800 US840 UY858 UZ860 VE862 VN704 VU548 YE887 ZA710 ZM894 ZW716'
  )
    .split(' ')
    .map((p) => [p.slice(0, 2), p.slice(2)]),
);

// isoCode is the ISO 3166-1 alpha-2 code of a Eurostat country code: NUTS
// writes EL for Greece and UK for the United Kingdom.
export function isoCode(code) {
  return { EL: 'GR', UK: 'GB' }[code] ?? code;
}

// countryCode is the code of the country an entity of the answer lies in:
// a Country's code property, a NUTS region's first two letters.
export function countryCode(e) {
  const prop = (k) => e.properties?.find((p) => p.key === k)?.value ?? '';
  if (e.kind === 'Country') return prop('code').toUpperCase();
  return prop('nuts').slice(0, 2).toUpperCase();
}

// flag is the emoji flag of a country code (regional indicator letters),
// or '' for a code that is not two letters.
export function flag(code) {
  const iso = isoCode(code);
  if (!/^[A-Z]{2}$/.test(iso)) return '';
  return String.fromCodePoint(...[...iso].map((c) => 0x1f1a5 + c.charCodeAt(0)));
}

// ---------- the map's geometry ----------

// A Lambert azimuthal equal-area projection centred on Europe (as EPSG:3035,
// which Eurostat's maps use): areas compare truly, which a map coloured by
// intensity needs. Degrees in, unit-sphere coordinates out, y down.
const lon0 = (10 * Math.PI) / 180;
const lat0 = (52 * Math.PI) / 180;
function project([lon, lat]) {
  const l = (lon * Math.PI) / 180 - lon0;
  const p = (lat * Math.PI) / 180;
  const k = Math.sqrt(2 / (1 + Math.sin(lat0) * Math.sin(p) + Math.cos(lat0) * Math.cos(p) * Math.cos(l)));
  return [k * Math.cos(p) * Math.sin(l), -k * (Math.cos(lat0) * Math.sin(p) - Math.sin(lat0) * Math.cos(p) * Math.cos(l))];
}

// The map's frame: Europe from the Azores' longitude to the Urals, from
// North Africa's coast to the North Cape.
const frame = (() => {
  const pts = [
    [-24, 40],
    [-12, 34],
    [45, 34],
    [50, 60],
    [15, 71.5],
    [-24, 64],
  ].map(project);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
})();
const mapWidth = 600;
const mapScale = mapWidth / (frame.x1 - frame.x0);
const mapHeight = Math.round((frame.y1 - frame.y0) * mapScale);

let shapes = null; // [{id, name, d}] of the countries in the frame, built once

// countryShapes projects world-atlas's countries once, keeping those with
// a point in the frame, as SVG path data in the map's pixels.
function countryShapes() {
  if (shapes) return shapes;
  const fc = feature(world, world.objects.countries);
  const inFrame = ([x, y]) => x >= 0 && x <= mapWidth && y >= 0 && y <= mapHeight;
  shapes = [];
  for (const f of fc.features) {
    const polys = f.geometry?.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry?.type === 'MultiPolygon' ? f.geometry.coordinates : [];
    let d = '';
    let seen = false;
    for (const poly of polys) {
      for (const ring of poly) {
        const pts = ring.map((c) => {
          const [x, y] = project(c);
          return [(x - frame.x0) * mapScale, (y - frame.y0) * mapScale];
        });
        if (!pts.some(inFrame)) continue;
        seen = true;
        d += 'M' + pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join('L') + 'Z';
      }
    }
    if (seen) shapes.push({ id: f.id ?? '', name: f.properties?.name ?? '', d });
  }
  return shapes;
}

// A sequential scale (ColorBrewer's Blues, 5 classes) over the number of
// projects, by classes of equal width on a square-root scale: a few
// countries have ten times the projects of most.
const scale = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
export const noProjectsFill = '#eef0f2';
const ownFill = '#f2c57c'; // the region's own country

function classes(max) {
  const bounds = [];
  for (let i = 1; i <= scale.length; i++) bounds.push(Math.max(1, Math.round(((i / scale.length) * Math.sqrt(max)) ** 2)));
  return bounds; // upper bound of each class
}

// ---------- DOM ----------

function year(s) {
  const n = Number.parseInt(s, 10);
  return Number.isInteger(n) ? n : NaN;
}

// Regions is the partner regions tab. ctx gives what it needs of the page:
// busy(kind, what, fn) runs a cancellable request and shows its wait,
// cancel(kind) gives one up, guard(fn) reports fn's failure on the page,
// entityButton(e) a name that selects e, changed() (the URL is to be
// written again).
export class Regions {
  constructor(ctx) {
    this.ctx = ctx;
    this.home = null; // the default region's entity, when the network has it
    this.target = null; // the region shown: {id, name, kind}
    this.level = 0;
    this.from = '';
    this.to = '';
    this.programme = '';
    this.country = ''; // a country chosen on the map: its code
    this.shown = pageSize;
    this.answer = null; // the table's answer
    this.countries = null; // the map's answer (level 0, every partner)
    this.programmes = []; // the programmes present (answer without a programme filter)
    this.open = ''; // the region whose projects are listed
    this.projects = new Map(); // region id → its projects (the row open)
  }

  // readURL reads the tab's part of the query string: region, level,
  // ryear and tyear (the period), programme, country.
  readURL(q) {
    this.urlRegion = q.get('region') ?? '';
    this.level = levels.includes(Number(q.get('level'))) ? Number(q.get('level')) : 0;
    this.from = /^\d{4}$/.test(q.get('ryear') ?? '') ? q.get('ryear') : '';
    this.to = /^\d{4}$/.test(q.get('tyear') ?? '') ? q.get('tyear') : '';
    this.programme = q.get('programme') ?? '';
    this.country = /^[A-Z]{2}$/.test(q.get('country') ?? '') ? q.get('country') : '';
  }

  // writeURL writes it, leaving out what is the default. The path finder
  // owns from and to: the period is ryear and tyear here.
  writeURL(q, tab) {
    if (tab !== 'regions') return;
    if (this.target && this.target.id !== this.home?.id) q.set('region', this.target.id);
    if (this.level) q.set('level', String(this.level));
    if (this.from) q.set('ryear', this.from);
    if (this.to) q.set('tyear', this.to);
    if (this.programme) q.set('programme', this.programme);
    if (this.country) q.set('country', this.country);
  }

  // findHome looks the default region up; null on a network without it.
  async findHome() {
    this.home = await api.findEntity(defaultRegionID);
    return this.home;
  }

  // show renders the tab for the selected entity (sel: {id, name, kind}),
  // when it is a region or a country, else for the default region.
  async show(sel) {
    if (this.urlRegion) {
      const id = this.urlRegion;
      this.urlRegion = '';
      const e = await api.findEntity(id);
      if (e && (e.kind === 'Region' || e.kind === 'Country')) {
        this.target = e;
        this.lastSel = sel?.id; // the URL's region, not the selection's
      }
    }
    // A newly selected region or country is shown; otherwise the region
    // shown stays (the default one at first).
    const fresh = sel && sel.id !== this.lastSel && (sel.kind === 'Region' || sel.kind === 'Country');
    this.lastSel = sel?.id;
    const want = fresh ? (sel.id === this.home?.id ? this.home : sel) : this.target ?? this.home;
    if (!this.target || want?.id !== this.target.id) {
      this.target = want ?? null;
      this.reset();
    }
    await this.load();
  }

  // useHome shows the default region whatever is selected (selId).
  useHome(selId) {
    this.lastSel = selId;
    if (this.home && this.target?.id !== this.home.id) {
      this.target = this.home;
      this.reset();
    }
  }

  reset() {
    this.shown = pageSize;
    this.answer = null;
    this.countries = null;
    this.programmes = [];
    this.open = '';
    this.projects = new Map();
  }

  // leave gives up the tab's requests still running (the tab was left).
  leave() {
    this.ctx.cancel('regions');
    this.ctx.cancel('regions-projects');
  }

  // request is the question the table asks.
  request(extra = {}) {
    return {
      region: this.target.id,
      level: this.level,
      first: this.country ? 1000 : this.shown,
      activeFrom: this.from,
      activeTo: this.to,
      programmes: this.programme ? [this.programme] : [],
      ...extra,
    };
  }

  // problem is what is wrong with the period, or ''.
  problem() {
    const f = this.from ? year(this.from) : 0;
    const to = this.to ? year(this.to) : 0;
    for (const y of [f, to]) if (y && (y < yearMin || y > yearMax)) return t('regions.badYear', { min: yearMin, max: yearMax });
    if (f && to && f > to) return t('regions.badPeriod');
    return '';
  }

  async load() {
    const root = document.getElementById('regions-result');
    if (!this.target) {
      root.replaceChildren(h('p', { class: 'empty' }, t('regions.empty')));
      return;
    }
    const bad = this.problem();
    if (bad) {
      this.render(bad);
      return;
    }
    const req = this.request();
    const key = JSON.stringify(req);
    // aria-busy while the answer shown is not the one asked for (the
    // latest load's), for screen readers and the browser tests.
    const seq = (this.seq = (this.seq ?? 0) + 1);
    if (this.answer?.key !== key || !this.countries || this.countries.key !== this.mapKey()) {
      root.setAttribute('aria-busy', 'true');
      try {
        await this.ctx.busy('regions', t('regions.busy', { name: this.target.name }), async (signal) => {
          const [answer, countries] = await Promise.all([
            this.answer?.key === key ? this.answer : api.regionPartners(req, signal).then((a) => ({ ...a, key })),
            this.countries?.key === this.mapKey() ? this.countries : api.regionPartners(this.mapRequest(), signal).then((a) => ({ ...a, key: this.mapKey() })),
          ]);
          this.answer = answer;
          this.countries = countries;
          if (!this.programme) this.programmes = answer.programmes;
        });
      } finally {
        if (seq === this.seq) root.removeAttribute('aria-busy');
      }
    }
    if (seq === this.seq) this.render('');
  }

  mapRequest() {
    return { ...this.request(), level: 0, first: 1000 };
  }

  mapKey() {
    return JSON.stringify(this.mapRequest());
  }

  // rows is the table's rows: the answer, of the country chosen on the map
  // when there is one.
  rows() {
    const all = this.answer?.partners ?? [];
    if (!this.country) return all;
    return all.filter((p) => countryCode(p.region) === this.country).slice(0, this.shown);
  }

  // total is how many partners the rows are taken from.
  total() {
    if (!this.answer) return 0;
    if (!this.country) return this.answer.totalCount;
    return this.answer.partners.filter((p) => countryCode(p.region) === this.country).length;
  }

  // set changes filters and asks again; a change to what they already are
  // (a field's change event on leaving it) keeps the page and row open.
  set(change) {
    if (Object.entries(change).every(([k, v]) => this[k] === v)) return;
    Object.assign(this, change);
    this.shown = pageSize;
    this.open = '';
    this.ctx.changed();
    this.ctx.guard(() => this.load())();
  }

  // render shows the answer. The filters are built once per region and
  // language and kept: an answer arriving while one types a year must not
  // take the field away.
  render(problem) {
    const root = document.getElementById('regions-result');
    const rows = problem ? [] : this.rows();
    const total = problem ? 0 : this.total();
    const key = `${language()}|${this.target.id}`;
    if (this.formKey !== key || !this.form || !root.contains(this.form)) {
      this.formKey = key;
      this.programmeKey = '';
      this.form = this.buildForm();
      this.body = h('div', { id: 'regions-body' });
      root.replaceChildren(h('h3', { id: 'regions-title' }, t('regions.title', { name: this.target.name })), this.form, this.body);
    }
    const programmes = this.form.querySelector('#regions-programme');
    const pk = `${this.programmes.map((p) => p.id).join(',')}|${this.programme}`;
    if (pk !== this.programmeKey) {
      this.programmeKey = pk;
      programmes.replaceChildren(
        h('option', { value: '' }, t('regions.allProgrammes')),
        ...[...this.programmes].sort((a, b) => a.name.localeCompare(b.name)).map((p) => h('option', { value: p.id }, p.name)),
      );
      if (this.programme && !this.programmes.some((p) => p.id === this.programme)) programmes.append(h('option', { value: this.programme }, this.programme));
      programmes.value = this.programme;
    }
    this.form.querySelector('#regions-level').value = String(this.level);
    this.form.querySelector('#export-regions').disabled = !rows.length;
    const parts = [
      this.country
        ? h('p', { class: 'note regions-country' }, t('regions.inCountry', { country: this.countryName(this.country) }), ' ', h('button', { type: 'button', class: 'small', id: 'regions-all-countries', onclick: () => this.set({ country: '' }) }, t('regions.allCountries')))
        : null,
      h('p', { id: 'regions-count', class: problem ? 'problem' : 'about', role: 'status' }, problem || t('regions.count', { shown: number(rows.length), total: plural('regions.partners', total) })),
      this.mapFigure(),
      rows.length ? this.table(rows) : problem ? null : h('p', { class: 'note' }, t('regions.none')),
      rows.length < total ? h('button', { type: 'button', id: 'regions-more', onclick: () => this.more() }, plural('paging.more', Math.min(pageSize, total - rows.length))) : null,
    ];
    this.body.replaceChildren(...parts.filter(Boolean));
  }

  // buildForm is the filters: level, period, programme, and the CSV.
  buildForm() {
    const levelSelect = h(
      'select',
      { id: 'regions-level', onchange: (e) => this.set({ level: Number(e.target.value), country: Number(e.target.value) ? this.country : '' }) },
      levels.map((l) => h('option', { value: String(l) }, t(`regions.level.${l}`))),
    );
    const yearInput = (id, value, key) =>
      h('input', { id, type: 'number', min: String(yearMin), max: String(yearMax), step: '1', inputmode: 'numeric', value, onchange: (e) => this.set({ [key]: e.target.value.trim() }) });
    return h(
      'div',
      { class: 'filters regions-filters' },
      h('label', { class: 'field' }, h('span', {}, t('regions.level')), levelSelect),
      h('label', { class: 'field' }, h('span', {}, t('regions.from')), yearInput('regions-from', this.from, 'from')),
      h('label', { class: 'field' }, h('span', {}, t('regions.to')), yearInput('regions-to', this.to, 'to')),
      h('label', { class: 'field' }, h('span', {}, t('regions.programme')), h('select', { id: 'regions-programme', onchange: (e) => this.set({ programme: e.target.value }) })),
      h('button', { type: 'button', id: 'export-regions', onclick: () => this.exportCSV() }, t('export.csv')),
    );
  }

  more() {
    this.shown += pageSize;
    this.ctx.guard(() => this.load())();
  }

  countryName(code) {
    const c = this.countries?.partners.find((p) => countryCode(p.region) === code);
    return c?.region.name ?? code;
  }

  table(rows) {
    const start = 0;
    return h(
      'table',
      { class: 'regions' },
      h('caption', {}, t('regions.caption', { name: this.target.name, level: t(`regions.level.${this.level}`) })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, t('regions.rank')), h('th', { scope: 'col' }, t('regions.region')), h('th', { scope: 'col', class: 'num' }, t('regions.projects')), h('th', { scope: 'col' }, t('regions.programmes')))),
      h(
        'tbody',
        {},
        rows.flatMap((p, i) => {
          const code = countryCode(p.region);
          const open = this.open === p.region.id;
          const row = h(
            'tr',
            { dataset: { id: p.region.id } },
            h('td', { class: 'num' }, number(start + i + 1)),
            h(
              'td',
              {},
              flag(code) ? h('span', { class: 'flag', 'aria-hidden': 'true' }, flag(code)) : null,
              code ? h('span', { class: 'cc' }, code) : null,
              ' ',
              this.ctx.entityButton(p.region),
              // What a click on the country does on the map, for the keyboard.
              this.level === 0 && code
                ? h('button', { type: 'button', class: 'small country-regions', 'aria-label': t('regions.regionsOf', { country: p.region.name }), onclick: () => this.set({ country: code, level: 2 }) }, t('regions.itsRegions'))
                : null,
            ),
            h(
              'td',
              { class: 'num' },
              h('button', { type: 'button', class: 'link projects-toggle', 'aria-expanded': open ? 'true' : 'false', title: t('regions.showProjects'), 'aria-label': `${plural('regions.projectCount', p.projects)}: ${t('regions.showProjects')}`, onclick: () => this.toggle(p.region.id, i) }, number(p.projects)),
            ),
            h('td', {}, p.programmes.length ? h('details', { class: 'programmes' }, h('summary', {}, plural('regions.programmeCount', p.programmes.length)), h('ul', {}, p.programmes.map((g) => h('li', {}, g.name)))) : '—'),
          );
          if (!open) return [row];
          const list = this.projects.get(p.region.id);
          return [
            row,
            h(
              'tr',
              { class: 'projects-row' },
              h('td', {}),
              h(
                'td',
                { colspan: '3' },
                list
                  ? h('div', {}, h('p', { class: 'meta' }, t('regions.projectsOf', { number: number(list.length), name: p.region.name })), h('ul', { class: 'contexts' }, list.map((e) => h('li', {}, this.ctx.entityButton(e)))))
                  : h('p', { class: 'meta' }, t('status.loading')),
              ),
            ),
          ];
        }),
      ),
    );
  }

  // toggle lists the projects behind a row (asked when first opened: the
  // same question with the projects of the partners up to this one).
  toggle(id) {
    this.open = this.open === id ? '' : id;
    this.render('');
    if (!this.open || this.projects.has(id)) return;
    this.ctx.guard(async () => {
      const all = this.answer.partners;
      const at = all.findIndex((p) => p.region.id === id);
      await this.ctx.busy('regions-projects', t('regions.busyProjects'), async (signal) => {
        const a = await api.regionPartners(this.request({ first: at + 1, projects: true }), signal);
        for (const p of a.partners) this.projects.set(p.region.id, p.projectList);
      });
      this.render('');
    })();
  }

  exportCSV() {
    const rows = this.rows().map((p, i) => [i + 1, p.region.id, p.region.name, countryCode(p.region), p.projects, p.programmes.map((g) => g.name).join('; ')]);
    const parts = [this.target.id, `level${this.level}`, this.from, this.to, this.programme, this.country].filter(Boolean).join('-').replace(/[^A-Za-z0-9_-]+/g, '_');
    download(`coopgraph-partner-regions-${parts}.csv`, csv(['rank', 'id', 'name', 'country', 'projects', 'programmes'], rows));
  }

  // mapFigure is the map of partner countries: each country's fill by its
  // number of projects, a title per country, a legend; a click chooses
  // the country (its regions in the table).
  mapFigure() {
    const counts = new Map(); // numeric or name → {code, name, projects}
    for (const p of this.countries?.partners ?? []) {
      const code = countryCode(p.region);
      const num = isoNumeric.get(isoCode(code));
      const row = { code, name: p.region.name, projects: p.projects };
      if (num) counts.set(num, row);
      else if (code === 'XK') counts.set('Kosovo', row);
    }
    const max = Math.max(0, ...[...counts.values()].map((c) => c.projects));
    const bounds = classes(max);
    const fillOf = (n) => (n ? scale[bounds.findIndex((b) => n <= b)] ?? scale.at(-1) : noProjectsFill);
    // The region's own country is no partner (regionPartners leaves it
    // out): drawn apart, not as a country without projects.
    const own = this.target ? isoNumeric.get(isoCode(countryCode(this.target))) : undefined;
    const paths = countryShapes().map((s) => {
      const c = counts.get(s.id) ?? counts.get(s.name);
      const home = !c && own !== undefined && s.id === own;
      const title = c ? `${c.name}: ${plural('regions.projectCount', c.projects)}` : home ? `${s.name}: ${t('regions.ownCountry', { name: this.target.name })}` : `${s.name}: ${t('regions.noProjects')}`;
      return h(
        'path',
        {
          d: s.d,
          fill: home ? ownFill : fillOf(c?.projects ?? 0),
          class: c ? 'country partner' : home ? 'country own' : 'country',
          dataset: { iso: s.id, projects: String(c?.projects ?? 0), code: c?.code ?? '' },
          'aria-current': c && c.code === this.country ? 'true' : null,
          onclick: c ? () => this.set({ country: c.code, level: this.level || 2 }) : null,
        },
        h('title', {}, title),
      );
    });
    const legend = h(
      'ul',
      { class: 'map-legend', 'aria-label': t('regions.legend') },
      own !== undefined ? h('li', {}, h('span', { class: 'swatch', style: `background:${ownFill}`, 'aria-hidden': 'true' }), t('regions.ownCountry', { name: this.target.name })) : null,
      h('li', {}, h('span', { class: 'swatch', style: `background:${noProjectsFill}`, 'aria-hidden': 'true' }), t('regions.noProjects')),
      max
        ? scale.map((colour, i) => {
            const lo = i ? bounds[i - 1] + 1 : 1;
            const hi = bounds[i];
            if (lo > hi) return null;
            return h('li', {}, h('span', { class: 'swatch', style: `background:${colour}`, 'aria-hidden': 'true' }), lo === hi ? number(lo) : `${number(lo)}–${number(hi)}`);
          })
        : null,
    );
    return h(
      'figure',
      { class: 'regions-map' },
      h(
        'svg',
        { id: 'regions-map', viewBox: `0 0 ${mapWidth} ${mapHeight}`, role: 'img', 'aria-label': t('regions.mapLabel', { name: this.target.name, countries: plural('regions.countryCount', counts.size) }) },
        h('rect', { x: '0', y: '0', width: String(mapWidth), height: String(mapHeight), class: 'sea' }),
        h('g', {}, paths),
      ),
      h('figcaption', {}, h('span', {}, t('regions.mapCaption')), legend),
    );
  }
}

// wireStart makes the start panel's buttons do what they say; ctx gives
// the page's actions: regions(), path(), rankings(), partners(), and
// home() (the default region's entity or null), selected() (the selected
// entity's name or '').
export function wireStart(ctx) {
  const panel = document.getElementById('start-panel');
  const $ = (id) => document.getElementById(id);
  $('start-regions').addEventListener('click', ctx.regions);
  $('start-path').addEventListener('click', ctx.path);
  $('start-rankings').addEventListener('click', ctx.rankings);
  $('start-partners').addEventListener('click', ctx.partners);
  $('start-close').addEventListener('click', () => {
    panel.hidden = true;
    $('home').setAttribute('aria-expanded', 'false');
    $('home').focus();
  });
  $('home').addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    $('home').setAttribute('aria-expanded', panel.hidden ? 'false' : 'true');
    if (!panel.hidden) {
      relabelStart(ctx);
      $('start-panel-title').focus();
    }
  });
  relabelStart(ctx);
}

// relabelStart names the region and the selection in the start panel's
// buttons (after a selection or a change of language).
export function relabelStart(ctx) {
  const $ = (id) => document.getElementById(id);
  const home = ctx.home();
  $('start-regions').textContent = home ? t('startPanel.regionsOf', { name: home.name }) : t('startPanel.regions');
  const sel = ctx.selected();
  $('start-partners').textContent = sel ? t('startPanel.partnersOf', { name: sel }) : t('startPanel.partners');
}
