// The data's words in the page's language: fact sentences, roles, property
// names and values, relation types in both directions, dates and sums of
// money, with the language the text is in (lang), so that the element
// showing text in another language than the page's can say so. The
// dictionaries are in vocabulary.js (merged into i18n.js's words).

import { hasWord as has, language, t } from './i18n.js';

// polish reports whether text is Polish: the seed's documents and their
// quotes are, and the data says no language, so it is told by its letters
// and its commonest words.
const polishLetters = /[ąćęłńśźżĄĆĘŁŃŚŹŻ]/;
const polishWords = /(^|[\s(„"])(w|z|i|na|do|od|się|jest|oraz|dla|nie|roku|ramach|przez|ze)(?=[\s,.;:)”"]|$)/;
export function isPolish(text) {
  return typeof text === 'string' && (polishLetters.test(text) || polishWords.test(text));
}

// quoteLang is the lang attribute of a quote: 'pl' for a Polish one, else
// null (not known: the attribute is left out).
export function quoteLang(quote) {
  return isPolish(quote) ? 'pl' : null;
}

// factText gives a fact as the page shows it: {text, lang, quoted}. In
// Polish a fact whose quote is Polish is that quote (the source's own
// words, quoted is true: the quote need not be shown again); otherwise the
// sentence of its property ('fact.<property>') with its value, which the
// seed writes in English (lang 'en' on the Polish page).
export function factText(fact, lang = language()) {
  if (lang === 'pl' && isPolish(fact.quote)) {
    const q = fact.quote.trim();
    return { text: q.charAt(0).toUpperCase() + q.slice(1), lang: 'pl', quoted: true };
  }
  const key = `fact.${fact.property}`;
  const value = valueText(fact.property, fact.value).text;
  const text = has(key) ? t(key, { value }) : t('fact', { property: propertyLabel(fact.property), value });
  return { text, lang: lang === 'en' || !/[a-z]{3}/i.test(fact.value) ? null : 'en', quoted: false };
}

// factSentence is a fact's text in lang (the page's language when not
// given): see factText.
export function factSentence(fact, lang = language()) {
  return factText(fact, lang).text;
}

// roleLabel is a relation's role in the page's language; a role no
// dictionary has reads as the data writes it.
export function roleLabel(role) {
  return role ? t(`role.${role}`) : '';
}

// relationLabel is a relation type read forwards ("member of") or, with
// inverse, from its target ("has member").
export function relationLabel(type, inverse = false) {
  return t(`${inverse ? 'relInv' : 'rel'}.${type}`);
}

// propertyLabel is a property's name in the page's language.
export function propertyLabel(key) {
  return t(`prop.${key}`);
}

// datasetLabel is a dataset's name in the page's language.
export function datasetLabel(name) {
  return t(`dataset.${name}`);
}

// ruleText gives the rule that merged a record: {text, reason} — the
// rule in the page's language, and a curated link's reason as the links
// file writes it (in English), or ''.
export function ruleText(rule) {
  const curated = /^curated link: (.*)$/s.exec(rule);
  if (curated) return { text: t('rule.curated'), reason: curated[1] };
  return { text: t(`rule.${rule}`), reason: '' };
}

// The English words of CORDIS's activity types (the `type` property says
// the code of activityType in words), to translate them back.
const activityCodes = ['HES', 'PRC', 'REC', 'PUB', 'OTH'];

// Properties that are sums of euros (keep.eu writes budgets "892,228.58",
// CORDIS contributions "185857.2"), and those whose values are descriptive
// English text.
const euros = new Set(['euFunding', 'budget', 'contribution']);
const english = new Set(['description', 'note', 'theme1', 'theme2', 'theme3', 'duration', 'title', 'position', 'motivation']);

// valueText gives a property's value as the page shows it: {text, lang}
// — codes in words, dates and sums of money as the language writes them;
// lang is the value's language when known and not the page's.
export function valueText(key, value) {
  const v = String(value ?? '');
  if (key === 'activityType' && activityCodes.includes(v)) return { text: `${t(`activity.${v}`)} (${v})`, lang: null };
  if (key === 'type') {
    const code = activityCodes.find((c) => v === englishActivity[c]);
    if (code) return { text: t(`activity.${code}`), lang: null };
    if (has(`orgType.${v}`)) return { text: t(`orgType.${v}`), lang: null };
  }
  if (key === 'legalStatus' && has(`legal.${v.toLowerCase()}`)) return { text: t(`legal.${v.toLowerCase()}`), lang: null };
  if (euros.has(key)) {
    const x = amount(v);
    if (x !== null) return { text: money(x), lang: null };
  }
  if (/^\d{4}(-\d{2}){0,2}$/.test(v) && key !== 'code' && key !== 'rcn' && key !== 'pic') return { text: dateText(v), lang: null };
  return { text: v, lang: english.has(key) && language() !== 'en' && /[a-z]{3}/i.test(v) ? 'en' : null };
}

const englishActivity = {
  HES: 'Higher or secondary education establishment',
  PRC: 'Private for-profit entity (company)',
  REC: 'Research organisation',
  PUB: 'Public body',
  OTH: 'Other',
};

// amount reads a sum as the sources write it: "185857.2", "892,228.58"
// (commas grouping thousands); anything else (words, another currency) is
// null and shown as written.
function amount(v) {
  if (!/^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$/.test(v)) return null;
  return Number(v.replace(/,/g, ''));
}

// money writes a sum of euros as the language does ("1 234,50 €", "€1,234.50").
export function money(x) {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR', maximumFractionDigits: Number.isInteger(x) ? 0 : 2, useGrouping: 'always' }).format(x);
}

// dateText writes a date of the data (YYYY, YYYY-MM or YYYY-MM-DD) as the
// language does: "2015", "November 2013" / "listopad 2013", "27 October
// 2015" / "27 października 2015"; anything else as it is.
export function dateText(d) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(d ?? '');
  if (!m) return d ?? '';
  if (!m[2]) return m[1];
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? 1)));
  const opts = m[3] ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale(), opts).format(date);
}

function locale() {
  return language() === 'pl' ? 'pl-PL' : 'en-GB';
}
