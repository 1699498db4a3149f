// The details pane: what the page knows of the selected entity, in the
// reader's words. Sources are titled documents ("Współpraca Międzynarodowa —
// Województwo Małopolskie", linked to the page when its address is known),
// never file names; facts read as sentences, never "key: value"; projects
// and organisations get a summary of what a user acts on (programme,
// period, funding, themes, place, the publisher's page); the relations
// are paged with "Show more", always "N of M".
import * as api from './api.js';
import { language, number, plural, t } from './i18n.js';
import { datasetLabel, dateText, factText as factWords, quoteLang, roleLabel, ruleText, valueText } from './words.js';
import { el, fill } from './dom.js';

// Relations asked per page of the pane.
export const relationsPage = 200;



// has tells whether the page has its own words for key.
function has(key) {
  return t(key) !== key.slice(key.indexOf('.') + 1);
}

// humanise makes words of a property name: onlyPolishVanguardMember →
// "Only polish vanguard member", theme_1 → "Theme 1".
export function humanise(key) {
  const words = String(key)
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// propLabel is a property's name in the page's language.
export function propLabel(key) {
  return has(`prop.${key}`) ? t(`prop.${key}`) : humanise(key);
}

// factText is a fact as a sentence in the page's language (words.js:
// the fact.NAME template, or on the Polish page its own Polish quote):
// {text, lang, quoted}.
export function factText(fact) {
  return factWords(fact);
}

// A link that leaves the page: opened in a new tab without giving it the
// page (noopener), marked as external for every reader.
export function externalLink(href, text) {
  return el(
    'a',
    { href, rel: 'noopener noreferrer', target: '_blank', class: 'external' },
    text,
    el('span', { class: 'ext-mark', 'aria-hidden': 'true' }, ' ↗'),
    el('span', { class: 'sr-only' }, ` (${t('details.external')})`),
  );
}

// documentText names a document for a reader: "Title — Publisher"; a
// value the linked network kept from a merged record (document
// "dataset:id") is that record of its dataset.
export function documentText(d) {
  const m = d.title === d.id && /^(seed|nuts|cordis-h2020|keep-interreg):(.+)$/.exec(d.id);
  if (m) return t('details.recordOf', { dataset: t(`dataset.${m[1]}`), id: m[2] });
  return d.publisher ? `${d.title} — ${d.publisher}` : d.title;
}

function documentView(d) {
  return d.url ? externalLink(d.url, documentText(d)) : el('span', { class: 'doc-title' }, documentText(d));
}

// sourceView is a statement's source: its quote, then its document by
// title and publisher. src is the API's Document (or, from an older
// answer, the document's id).
export function sourceView(src, quote) {
  if (typeof src === 'string') src = { id: src, title: src };
  if (!src && !quote) return null;
  return el('div', { class: 'source' }, quote ? el('blockquote', { lang: quoteLang(quote) }, `“${quote}”`) : null, src ? el('cite', {}, `${t('details.source')}: `, documentView(src)) : null);
}

export function dates(r) {
  if (r.start && r.end) return `${dateText(r.start)} – ${dateText(r.end)}`;
  if (r.start) return t('dates.since', { d: dateText(r.start) });
  if (r.end) return t('dates.until', { d: dateText(r.end) });
  return '';
}

// linkify shows an http(s) value as an external link.
function linkify(v) {
  return /^https?:\/\/\S+$/.test(v) ? externalLink(v, v) : v;
}

// money is an amount in euro as the page's language writes it; keep.eu's
// budgets are text ("892,228.58"), read without their thousands commas.
export function money(v) {
  const x = Number(String(v).replace(/,/g, ''));
  if (!Number.isFinite(x) || String(v).trim() === '') return String(v);
  return new Intl.NumberFormat(language() === 'pl' ? 'pl-PL' : 'en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(x);
}

// The properties the summary shows (and the properties list then leaves out).
const placeKeys = ['country', 'countryName', 'region', 'nuts', 'town', 'city'];
const summaryKeys = new Set(['acronym', 'rcn', 'pic', 'url', 'website', 'euFunding', 'budget', 'theme1', 'theme2', 'theme3', 'start', 'end', ...placeKeys]);

// summary is what a user acts on: for a project its acronym, programme,
// period, funding, themes and pages; for an organisation its town, region,
// country and pages. ends are its LOCATED_IN and FUNDED_BY relations.
function summary(e, props, ends, rels, button) {
  const rows = [];
  const row = (label, ...value) => rows.push(el('dt', {}, label), el('dd', {}, ...value));
  const targets = (type, kind) => ends.filter((r) => r.type === type && r.fromId === e.id && (!kind || r.to.kind === kind)).map((r) => r.to);
  const names = (list, button) => list.flatMap((x, i) => (i ? [', ', button(x)] : [button(x)]));
  const links = [];
  if (e.kind === 'Project') {
    if (props.acronym && props.acronym !== e.name) row(t('prop.acronym'), props.acronym);
    if (props.rcn) row(t('details.project.title'), t('details.project.h2020', { rcn: props.rcn }));
    const programmes = targets('FUNDED_BY');
    if (programmes.length) row(t('details.project.programme'), names(programmes, button));
    // The project's dates, or those of its participations (keep.eu gives them there).
    const dated = rels.find((r) => r.start || r.end) ?? {};
    const start = props.start ?? (props.end ? '' : dated.start ?? '');
    const end = props.end ?? (props.start ? '' : dated.end ?? '');
    if (start || end) row(t('details.project.period'), dates({ start, end }));
    if (props.euFunding) row(t('prop.euFunding'), money(props.euFunding));
    if (props.budget) row(t('prop.budget'), money(props.budget));
    const themes = ['theme1', 'theme2', 'theme3'].map((k) => props[k]).filter(Boolean);
    if (themes.length) row(t('details.project.themes'), themes.join(' · '));
    if (props.rcn) links.push(externalLink(props.url ?? `https://cordis.europa.eu/project/rcn/${encodeURIComponent(props.rcn)}`, t('details.link.cordisProject')));
  } else if (e.kind === 'Organisation') {
    const town = props.town ?? props.city;
    if (town) row(t('prop.town'), town);
    const regions = targets('LOCATED_IN', 'Region');
    if (regions.length) row(t('prop.region'), names(regions, button));
    const countries = targets('LOCATED_IN', 'Country');
    if (countries.length) row(t('prop.country'), names(countries, button));
    else if (props.country) row(t('prop.country'), props.country);
    if (props.pic) {
      row(t('prop.pic'), props.pic);
      links.push(externalLink(props.url ?? `https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/how-to-participate/org-details/${encodeURIComponent(props.pic)}`, t('details.link.pic')));
    }
  } else {
    return null;
  }
  if (props.website && /^https?:\/\//.test(props.website)) links.push(externalLink(props.website, t('details.link.website')));
  if (links.length) row(t('details.links'), links.flatMap((a, i) => (i ? [' · ', a] : [a])));
  if (!rows.length) return null;
  return el('div', { class: 'summary' }, el('h4', {}, t(e.kind === 'Project' ? 'details.project' : 'details.organisation')), el('dl', { class: 'props' }, rows));
}

// records explains a merged entity: each source record it was made from,
// as the source spells it, and the rule or curated link that merged it.
function records(list) {
  if (!list.length) return null;
  return el(
    'div',
    { class: 'records' },
    el('h4', {}, plural('details.records', list.length)),
    el(
      'ul',
      { class: 'record-list' },
      list.map((r) =>
        el(
          'li',
          { class: 'record' },
          el('span', { class: 'record-name' }, r.name),
          el('span', { class: 'meta' }, [`${t('details.recordSource')}: ${datasetLabel(r.dataset)}`, r.id, r.place ? `${t('details.recordPlace')}: ${r.place}` : ''].filter(Boolean).join(' · ')),
          el('span', { class: 'record-rule' }, r.rule ? ruleWords(r.rule) : t('details.recordKept')),
        ),
      ),
    ),
  );
}

// ruleWords says which rule merged a record, a curated link's English
// reason marked as such.
function ruleWords(rule) {
  const { text, reason } = ruleText(rule);
  return [`${t('details.recordRule')}: ${text}`, reason ? el('span', { lang: language() === 'en' ? null : 'en' }, ` ${reason}`) : null];
}

// factItem is a fact as a sentence with its source; a fact shown as its
// own Polish quote cites only the document.
function factItem(f) {
  const x = factText(f);
  return el('li', {}, el('span', { class: 'fact', lang: x.lang }, x.text), sourceView(f.source, x.quoted ? '' : f.quote));
}

// The pane's request in flight: a new selection aborts it.
let inFlight = null;

// showDetails fills pane with entity id's details. deps are main.js's:
// current() the selected id (an answer for another is dropped),
// entityButton(e) an entity's name that selects it, colour(kind),
// kindLabel(kind), relLabel(type), remember(entities), actions(e) the
// pane's buttons.
export async function showDetails(pane, id, deps) {
  inFlight?.abort();
  if (!id) {
    inFlight = null;
    fill(pane, el('p', { class: 'empty' }, t('details.empty')));
    return;
  }
  const ctrl = new AbortController();
  inFlight = ctrl;
  let e;
  try {
    e = await api.details(id, relationsPage, { signal: ctrl.signal });
  } finally {
    if (inFlight === ctrl) inFlight = null;
  }
  if (deps.current() !== id) return;
  deps.remember([e]);
  const conn = e.relationsConnection;
  const rels = conn.edges.map((x) => x.node);
  for (const r of [...rels, ...e.ends.edges.map((x) => x.node)]) deps.remember([r.from, r.to]);
  const props = Object.fromEntries(e.properties.map((p) => [p.key, p.value]));
  const kindSummary = summary(e, props, e.ends.edges.map((x) => x.node), rels, deps.entityButton);
  const place = kindSummary ? [] : e.properties.filter((p) => placeKeys.includes(p.key));
  const otherProps = e.properties.filter((p) => !(kindSummary && summaryKeys.has(p.key)) && !place.includes(p));
  const relBox = el('div', { class: 'relations' });
  const page = { rels, total: conn.totalCount, after: conn.pageInfo.endCursor, more: conn.pageInfo.hasNextPage };
  const renderRelations = () => fill(relBox, ...relationsView(e, page, deps, ctrlMore));
  // ctrlMore asks for the next page of relations and shows it below the others.
  async function ctrlMore(button) {
    button.disabled = true;
    const ctrl = new AbortController();
    inFlight = ctrl;
    try {
      const next = await api.relationsPage(id, relationsPage, page.after, { signal: ctrl.signal });
      if (deps.current() !== id) return;
      const more = next.edges.map((x) => x.node);
      for (const r of more) deps.remember([r.from, r.to]);
      page.rels.push(...more);
      page.total = next.totalCount;
      page.after = next.pageInfo.endCursor;
      page.more = next.pageInfo.hasNextPage;
      renderRelations();
      relBox.querySelector('.more-relations')?.focus();
    } finally {
      if (inFlight === ctrl) inFlight = null;
      button.disabled = false;
    }
  }
  renderRelations();
  fill(pane,
    el(
      'header',
      { class: 'entity-head' },
      el('h3', { id: 'details-name' }, el('span', { class: 'swatch', style: `background:${deps.colour(e.kind)}`, 'aria-hidden': 'true' }), e.name),
      el('p', { class: 'kind-line' }, el('span', { class: 'badge' }, deps.kindLabel(e.kind)), ...place.map((p) => el('span', { class: 'badge light' }, `${propLabel(p.key)}: ${valueText(p.key, p.value).text}`))),
    ),
    e.aliases.length ? el('div', { class: 'aliases' }, el('h4', {}, t('details.aliases')), el('p', {}, e.aliases.join(' · '))) : null,
    el('div', { class: 'actions' }, deps.actions(e)),
    kindSummary,
    otherProps.length ? el('div', {}, el('h4', {}, t('details.properties')), el('dl', { class: 'props' }, otherProps.flatMap((p) => [el('dt', {}, propLabel(p.key)), el('dd', { lang: valueText(p.key, p.value).lang }, linkify(valueText(p.key, p.value).text))]))) : null,
    e.facts.length ? el('div', {}, el('h4', {}, t('details.facts')), el('ul', { class: 'facts' }, e.facts.map(factItem))) : null,
    relBox,
    e.sources.length ? el('div', {}, el('h4', {}, t('details.documents')), el('ul', { class: 'docs' }, e.sources.map((d) => el('li', {}, documentView(d))))) : null,
    records(e.records),
  );
}

// relationsView is the relations shown so far, grouped by type, with how
// many of how many and the button for more.
function relationsView(e, page, deps, more) {
  const groups = new Map();
  for (const r of page.rels) {
    if (!groups.has(r.type)) groups.set(r.type, []);
    groups.get(r.type).push(r);
  }
  return [
    el('h4', {}, `${t('details.relations')} (${number(page.total)})`),
    ...[...groups].map(([type, list]) =>
      el(
        'section',
        { class: 'rel-group' },
        el('h5', {}, `${deps.relLabel(type)} (${number(list.length)})`),
        el(
          'ul',
          {},
          list.map((r) => {
            const out = r.fromId === e.id;
            const other = out ? r.to : r.from;
            return el(
              'li',
              { class: 'rel' },
              el('span', { class: 'dir', 'aria-hidden': 'true' }, out ? '→' : '←'),
              el('span', { class: 'sr-only' }, out ? `${e.name} ${deps.relLabel(type)}` : `${deps.relLabel(type)} ${e.name}:`),
              deps.entityButton(other),
              el('span', { class: 'meta' }, [deps.kindLabel(other.kind), roleLabel(r.role), dates(r)].filter(Boolean).join(' · ')),
              sourceView(r.source, r.quote),
            );
          }),
        ),
      ),
    ),
    el('p', { class: 'note relations-count' }, t('details.more', { shown: number(page.rels.length), total: number(page.total) })),
    page.more ? el('button', { type: 'button', class: 'more-relations', onclick: (ev) => more(ev.currentTarget).catch(deps.showError) }, t('details.showMore')) : null,
  ];
}
