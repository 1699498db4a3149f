// The details pane on the built-in linked network (111,204 entities), in
// headless chromium: sources are titled documents with their publishers
// (never a file name) linked to their pages, facts read through the page's
// words (words.js: "Member regions: 34", never a raw key; on the Polish
// page a Polish source's own words), dates in words, a CORDIS project, a keep.eu project and an organisation
// with a PIC get their summary and links, the relations of a hub are paged
// with "Show more", and the Polish page says it all in Polish. axe-core
// finds no accessibility violation. Screenshots: artifacts/details-*.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { artifacts, screenshot, startCoopgraph } from './harness.mjs';
import { noViolations, useBrowser, withPage } from './rankings-helpers.mjs';

useBrowser();

const pane = '#pane-details';
const fileName = /\b\d{3}_[0-9a-f]{16}\.txt\b/;

// open selects id through the URL and waits for its details.
async function open(server, name, id, lang, fn) {
  await withPage(server, name, async (page) => {
    await page.locator(`${pane} #details-name`).waitFor({ timeout: 60_000 });
    await fn(page, await page.locator(pane).innerText());
    await noViolations(page, `the details of ${id} (${lang})`);
    await screenshot(page, name);
  }, { query: `?lang=${lang}&sel=${encodeURIComponent(id)}` });
}

describe('details on the built-in linked network', () => {
  let server;
  before(async () => {
    server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
  });
  after(async () => {
    await server?.stop();
  });

  test('a seed entity: facts as sentences, sources by title and publisher', async () => {
    await open(server, 'details-seed', 'vanguard-initiative', 'en', async (page, text) => {
      assert.doesNotMatch(text, fileName, 'a file name is shown');
      const facts = await page.locator(`${pane} .facts .fact`).allInnerTexts();
      assert.ok(facts.length >= 5, `facts: ${facts}`);
      for (const f of facts) assert.doesNotMatch(f, /^[a-z]+[A-Z]\w*:/, `a raw key: ${f}`);
      assert.ok(facts.includes('Member regions: 34') && facts.includes('Member regions: 32'), facts.join('\n'));
      for (const f of facts) assert.doesNotMatch(f, /:\s*$/, `a fact without its value: ${f}`);
      const cites = await page.locator(`${pane} .facts cite`).allInnerTexts();
      assert.ok(cites.some((c) => c === 'Source: Inicjatywa Awangarda — Województwo Małopolskie'), cites.join('\n'));
      assert.ok(cites.some((c) => c === 'Source: Współpraca Międzynarodowa — Województwo Małopolskie'), cites.join('\n'));
      const docs = await page.locator(`${pane} .docs li`).allInnerTexts();
      assert.deepEqual(docs, ['Współpraca Międzynarodowa — Województwo Małopolskie', 'Inicjatywa Awangarda — Województwo Małopolskie']);
      assert.match(await page.locator(`${pane} .rel .source cite`).first().innerText(), /^Source: (Współpraca Międzynarodowa|Inicjatywa Awangarda) — Województwo Małopolskie$/);
    });
  });

  test('the same in Polish', async () => {
    await open(server, 'details-seed-pl', 'vanguard-initiative', 'pl', async (page, text) => {
      assert.doesNotMatch(text, fileName);
      const facts = await page.locator(`${pane} .facts .fact`).allInnerTexts();
      // The Polish page shows the Polish source's own words as the fact.
      assert.ok(facts.includes('Przywódców 34 wysoko rozwiniętych i innowacyjnych regionów Unii Europejskiej'), facts.join('\n'));
      for (const f of facts) assert.doesNotMatch(f, /^[a-z]+[A-Z]\w*:|:\s*$/, f);
      assert.ok((await page.locator(`${pane} .facts cite`).allInnerTexts()).includes('Źródło: Inicjatywa Awangarda — Województwo Małopolskie'));
      assert.match(text, /Fakty ze źródłami/);
    });
  });

  test('a CORDIS project: programme, period, its CORDIS page, the CORDIS table as source', async () => {
    await open(server, 'details-cordis', 'h2020:193157', 'en', async (page, text) => {
      assert.doesNotMatch(text, /\brcn:|\burl:/);
      const summary = await page.locator(`${pane} .summary`).innerText();
      assert.match(summary, /Title\s+H2020 project 193157/);
      assert.match(summary, /Programme\s+\S/);
      assert.match(summary, /Period\s+1 January 2014 – 31 March 2016/);
      const link = page.locator(`${pane} .summary a.external`, { hasText: 'Project page on CORDIS' });
      assert.equal(await link.getAttribute('href'), 'https://cordis.europa.eu/project/rcn/193157');
      assert.match(await link.getAttribute('rel'), /noopener/);
      const cite = page.locator(`${pane} .rel .source cite a`).first();
      assert.match(await cite.innerText(), /^CORDIS Horizon 2020 .* — CORDIS – European Commission ↗/);
      assert.equal(await cite.getAttribute('href'), 'https://cordis.europa.eu/data/');
    });
  });

  test('a keep.eu project: funding in euro, themes, website, keep.eu as source; in Polish too', async () => {
    const id = 'keep:2014-2020-espon-2020/actarea';
    await open(server, 'details-keep', id, 'en', async (page) => {
      const summary = await page.locator(`${pane} .summary`).innerText();
      assert.match(summary, /Acronym\s+ACTAREA/);
      assert.match(summary, /EU funding\s+€181,816/);
      assert.match(summary, /Budget\s+€222,350/);
      assert.match(summary, /Themes\s+Institutional cooperation and cooperation networks · Regional planning and development/);
      assert.match(summary, /Period\s+8 November 2016 – 18 May 2018/);
      assert.equal(await page.locator(`${pane} .summary a.external`, { hasText: 'Website' }).getAttribute('href'), 'https://www.espon.eu/actarea');
      const cites = await page.locator(`${pane} .rel .source cite`).allInnerTexts();
      assert.ok(cites.some((c) => / — keep\.eu – Interact/.test(c)), cites.join('\n'));
    });
    await open(server, 'details-keep-pl', id, 'pl', async (page) => {
      const summary = await page.locator(`${pane} .summary`).innerText();
      assert.match(summary, /Dofinansowanie UE\s+181\s?816\s€/);
      assert.match(summary, /Tematy\s/);
      assert.match(summary, /Program\s/);
      assert.match(summary, /Okres\s+8 listopada 2016 – 18 maja 2018/);
    });
  });

  test('an organisation with a PIC: town, region, country, its portal page; merged records kept', async () => {
    await open(server, 'details-org', 'agh', 'en', async (page, text) => {
      assert.doesNotMatch(text, fileName);
      const summary = await page.locator(`${pane} .summary`).innerText();
      assert.match(summary, /Town\s+Kraków/);
      assert.match(summary, /Country\s+\S/);
      const pic = page.locator(`${pane} .summary a.external`, { hasText: 'Organisation in the EU Funding & Tenders Portal' });
      assert.equal(await pic.getAttribute('href'), 'https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/how-to-participate/org-details/999844573');
      assert.ok((await page.locator(`${pane} .records .record`).count()) >= 2, 'the merged records are listed');
      const facts = await page.locator(`${pane} .facts li`).allInnerTexts();
      for (const f of facts) assert.doesNotMatch(f, /cordis-h2020:pic:/, f);
    });
  });

  test('Małopolska: a fact the page has words for, in both languages', async () => {
    await open(server, 'details-malopolskie', 'malopolskie', 'en', async (page, text) => {
      assert.doesNotMatch(text, fileName);
      const facts = await page.locator(`${pane} .facts .fact`).allInnerTexts();
      assert.ok(facts.some((f) => f.startsWith('The only Polish member of the Vanguard Initiative: ')), facts.join('\n'));
    });
    await open(server, 'details-malopolskie-pl', 'malopolskie', 'pl', async (page) => {
      const facts = await page.locator(`${pane} .facts .fact`).allInnerTexts();
      // On the Polish page a fact stated by a Polish document reads as its own words.
      assert.ok(facts.some((f) => f.startsWith('Jedynym regionem z Polski w IA')), facts.join('\n'));
      assert.ok(facts.every((f) => !/onlyPolish|:\s*$/.test(f)), facts.join('\n'));
    });
  });

  test("the view's GraphML and GEXF keep each relation's document title, publisher and quote", async () => {
    await open(server, 'details-export', 'vanguard-initiative', 'en', async (page) => {
      await page.click(`${pane} .actions button:has-text("Expand neighbours")`);
      await page.waitForFunction(() => /and [1-9][\d,]* relations?/.test(document.getElementById('status')?.textContent ?? ''));
      for (const button of ['#export-graphml', '#export-gexf']) {
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
        const file = path.join(artifacts, `details-download-${dl.suggestedFilename()}`);
        await dl.saveAs(file);
        const text = readFileSync(file, 'utf8');
        assert.match(text, /Inicjatywa Awangarda/, `${button}: no document title`);
        assert.match(text, /Województwo Małopolskie/, `${button}: no publisher`);
        assert.match(text, /documentTitle/, button);
        assert.match(text, /(key="quote">|for="quote" value=")[^<"]+/, `${button}: no quote`);
        const parsed = await page.evaluate((t) => !new DOMParser().parseFromString(t, 'application/xml').querySelector('parsererror'), text);
        assert.ok(parsed, `${button}: not XML`);
      }
    });
  });

  test("a hub's relations are paged: N of M, Show more", async () => {
    await open(server, 'details-more', 'belgium', 'en', async (page) => {
      const count = page.locator(`${pane} .relations-count`);
      const m = /^200 of ([\d,]+) relations shown\.$/.exec(await count.innerText());
      assert.ok(m, await count.innerText());
      await page.click(`${pane} .more-relations`);
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.startsWith('400 of'), `${pane} .relations-count`);
      assert.equal(await count.innerText(), `400 of ${m[1]} relations shown.`);
      assert.equal(await page.locator(`${pane} .rel`).count(), 400);
    });
  });
});
