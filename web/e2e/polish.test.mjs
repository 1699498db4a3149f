// The page in Polish on the built-in linked network, in headless chromium:
// walking the details (a seed network with facts, a merged organisation of
// CORDIS and keep.eu, the region), the path finder, the rankings and the
// partners, the interface's visible text, labels and options contain no
// English giveaway word (entity names, quotes and other data aside);
// facts are the seed's Polish quotes, roles, property names, activity
// types, datasets and linker's rules are Polish, counts take the Polish
// plural forms and numbers, dates and sums of euros are written the Polish
// way; html lang is pl and data in English says so; axe-core finds no
// violation. Screenshots: artifacts/polish-*.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { screenshot, startCoopgraph } from './harness.mjs';
import { noViolations, useBrowser, withPage } from './rankings-helpers.mjs';

useBrowser();

// Words of the English interface that Polish never uses; a visible
// interface text containing one has escaped translation. Words both
// languages share (Partner, Region, PIC, NUTS, PageRank…) are not here.
const giveaways = new Set(
  `the of and with from for in at is are this that not
  member members entity entities relation relations path paths shortest hop hops
  select show showing source sources details rankings score kind kinds name
  founded located funded participates participant coordinator lead since until
  type website town legal budget funding activity description properties
  record records made merged other public private find clear cancel export graph
  list community communities legend size measure all highlight options
  degree betweenness closeness eigenvector seconds minutes second minute
  organisation organization country city network project programme person
  agreement event strategy research education body company higher
  similar curated link`.split(/\s+/).filter(Boolean),
);

// interfaceText collects, in the page, the visible text of the interface
// under root (selector): text nodes, aria-label, title and placeholder
// attributes and the options of selects — without data: entity names
// (entity buttons, the selected entity's heading, records' names), quotes
// and citations, property values, documents, credit lines, anything marked
// in another language than the page's, and in path sentences the names
// between the relations.
async function interfaceText(page, root) {
  return page.evaluate((root) => {
    const data = 'button.link, .name, .alias, #details-name, .record-name, blockquote, cite, dd, .docs, #credits, .aliases p, .badge.light, [lang]:not([lang="pl"]), .record .meta';
    const out = [];
    const top = document.querySelector(root);
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(data) || !el.checkVisibility() || el.closest('script,style,noscript')) continue;
      const text = n.textContent.trim();
      if (!text) continue;
      if (el.closest('.words') || el.closest('.hops li > span:first-child')) {
        // "A — label → B ← label — C": only the labels are interface.
        for (const m of text.matchAll(/(?:—|←) ([^—→←]+?) (?=→|—)/g)) out.push(m[1]);
        continue;
      }
      out.push(text);
    }
    for (const el of top.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (el.closest(data) || !el.checkVisibility()) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    for (const o of top.querySelectorAll('select option')) if (o.closest('select').checkVisibility()) out.push(o.textContent);
    return out;
  }, root);
}

// entityNames are the names of the entities the page shows under root
// (captions and sentences name them among interface words).
async function entityNames(page, root) {
  return page.evaluate((root) => [...document.querySelectorAll(`${root} button.link, ${root} #details-name`)].map((b) => b.textContent.trim()).filter(Boolean), root);
}

// englishIn lists the giveaway words of texts, once entity names are
// taken out.
function englishIn(texts, names = []) {
  const found = new Set();
  const sorted = [...new Set(names)].sort((a, b) => b.length - a.length);
  for (let text of texts) {
    for (const name of sorted) text = text.split(name).join(' ');
    for (const w of text.match(/\p{L}+/gu) ?? []) if (giveaways.has(w.toLowerCase())) found.add(`${w} (in “${text.trim().slice(0, 80)}”)`);
  }
  return [...found];
}

async function noEnglish(page, root, state) {
  const texts = await interfaceText(page, root);
  assert.ok(texts.length > 3, `${state}: no interface text found under ${root}`);
  assert.deepEqual(englishIn(texts, await entityNames(page, root)), [], `${state}: English words in the Polish interface`);
}

describe('the page in Polish on the built-in linked network', () => {
  let server;
  before(async () => {
    server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
  });
  after(async () => {
    await server?.stop();
  });

  test('a seed network: facts are the sources’ Polish words, relations and roles in Polish', async () => {
    await withPage(
      server,
      'polish-coral',
      async (page) => {
        await page.locator('#details-name').waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'pl');
        const facts = page.locator('ul.facts > li > span');
        const texts = await facts.allInnerTexts();
        assert.ok(texts.includes('Spotkania odbywają się ok. 4 razy w roku'), `facts: ${texts.join(' | ')}`);
        assert.ok(texts.includes('Nie ma składki członkowskiej'), `facts: ${texts.join(' | ')}`);
        assert.equal(await page.locator('ul.facts > li > span[lang="pl"]').count(), texts.length, 'a Polish quote not marked lang=pl');
        // The quote is the fact's text: it is not repeated as the source's quote.
        assert.equal(await page.locator('ul.facts blockquote').count(), 0);
        assert.match(await page.locator('ul.facts cite').first().innerText(), /^Źródło: /);
        assert.match(await page.locator('#pane-details .relations h4').innerText(), /^Relacje \(\d+\)$/);
        // The English description is marked as English.
        assert.equal(await page.locator('dl.props dd[lang="en"]').count(), 1);
        assert.equal(await page.locator('dl.props dt').first().innerText(), 'Opis');
        await noEnglish(page, '#pane-details', 'CORAL');
        await noEnglish(page, 'header.top', 'the header');
        await noEnglish(page, '.stage', 'the stage');
        await noViolations(page, 'CORAL in Polish');
        await screenshot(page, 'polish-coral');
      },
      { query: '?lang=pl&sel=coral' },
    );
  });

  test('a merged organisation: property names, activity type, datasets, rules, roles and dates in Polish', async () => {
    await withPage(
      server,
      'polish-agh',
      async (page) => {
        await page.locator('#details-name').waitFor();
        const props = Object.fromEntries(
          await page.evaluate(() => [...document.querySelectorAll('dl.props dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])),
        );
        assert.equal(props['Rodzaj działalności'], 'Szkoła wyższa lub średnia (HES)', JSON.stringify(props));
        assert.ok('PIC (kod identyfikacyjny uczestnika)' in props, JSON.stringify(props));
        const records = await page.locator('.records h4').innerText();
        const n = Number(/^Utworzony z (\d+) rekord(u|ów)$/.exec(records)?.[1]);
        assert.ok(n >= 2, records);
        const meta = await page.locator('.record .meta').allInnerTexts();
        assert.ok(meta.some((m) => m.startsWith('źródło: CORDIS Horyzont 2020')), meta.join(' | '));
        const rules = await page.locator('.record .record-rule').allInnerTexts();
        assert.ok(rules.some((r) => /^połączony regułą: (ten sam PIC|podobna nazwa|ta sama nazwa w tym samym państwie|powiązanie ustalone ręcznie:)/.test(r)), rules.join(' | '));
        const relMeta = await page.locator('#pane-details li.rel .meta').allInnerTexts();
        assert.ok(relMeta.some((m) => /· (koordynator|uczestnik|partner wiodący|partner)( ·|$)/.test(m)), relMeta.slice(0, 5).join(' | '));
        // Dates as Polish writes them: "od 1 stycznia 2015", "1 stycznia 2015 – 31 grudnia 2017".
        assert.ok(relMeta.some((m) => /\d{1,2} (stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia) \d{4}/.test(m)), relMeta.slice(0, 5).join(' | '));
        await noEnglish(page, '#pane-details', 'AGH');
        await noViolations(page, 'AGH in Polish');
        await screenshot(page, 'polish-agh');

        await page.click('#tab-partners');
        await page.locator('#partners-result table.partners').waitFor();
        await noEnglish(page, '#pane-partners', 'AGH’s partners');
        await noViolations(page, 'AGH’s partners in Polish');
      },
      { query: '?lang=pl&sel=agh' },
    );
  });

  test('the path finder and the rankings: Polish plurals and numbers', async () => {
    await withPage(
      server,
      'polish-path',
      async (page) => {
        await page.locator('#path-result h3').first().waitFor({ timeout: 60_000 });
        const heads = await page.locator('#path-result h3').allInnerTexts();
        // "Wszystkie najkrótsze ścieżki (3, każda: 2 kroki)" or "Najkrótsza ścieżka (1 krok)".
        assert.ok(heads.some((h) => /^(Wszystkie najkrótsze ścieżki \(\d+, każda: |Najkrótsza ścieżka \(|\d[\d  ]* najkrótsz)/.test(h)), heads.join(' | '));
        for (const h of await page.locator('#path-result .path-meta span:first-child, #path-result h3').allInnerTexts()) {
          for (const m of h.matchAll(/(\d+) (krok\w*)/g)) {
            const n = Number(m[1]);
            const want = n === 1 ? 'krok' : [2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100) ? 'kroki' : 'kroków';
            assert.equal(m[2], want, h);
          }
        }
        await page.locator('#path-types').evaluate((d) => d.closest('details').setAttribute('open', ''));
        // Four-digit counts grouped as in "1 234,5": "część (3 298)".
        const types = await page.locator('#path-types label').allInnerTexts();
        assert.ok(types.some((l) => /^część \(\d[\s\u00a0\u202f]\d{3}\)$/.test(l.trim())), types.join(' | '));
        await noEnglish(page, '#pane-path', 'the path finder');
        await noViolations(page, 'the path finder in Polish');
        await screenshot(page, 'polish-path');

        await page.click('#tab-rankings');
        const caption = page.locator('table.ranking caption');
        await caption.waitFor({ timeout: 60_000 });
        // 111 204 with a (narrow) no-break space, as Polish groups thousands.
        assert.match(await caption.innerText(), /^Pierwszych 50 z \d{3}[\s  ]\d{3} według miary: Stopień$/);
        await noEnglish(page, '#pane-rankings', 'the rankings');
        await noEnglish(page, '.stage', 'the stage with the rankings');
        await noViolations(page, 'the rankings in Polish');
      },
      { query: '?lang=pl&tab=path&from=malopolskie&to=coral' },
    );
  });

  test('switching the language sets html lang and translates what is shown', async () => {
    await withPage(
      server,
      'polish-switch',
      async (page) => {
        await page.locator('ul.facts').waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
        const en = await page.locator('ul.facts > li > span').allInnerTexts();
        assert.ok(en.includes('Meets about 4 times a year'), en.join(' | '));
        // On the English page, the Polish quote is marked as Polish.
        assert.ok((await page.locator('ul.facts blockquote[lang="pl"]').count()) > 0);
        await page.click('button[data-lang="pl"]');
        await page.waitForFunction(() => document.documentElement.lang === 'pl' && document.querySelector('ul.facts > li > span[lang="pl"]'));
        await noEnglish(page, '#pane-details', 'CORAL after switching');
        await noViolations(page, 'CORAL after switching to Polish');
      },
      { query: '?lang=en&sel=coral' },
    );
  });
});
