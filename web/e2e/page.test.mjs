// The visualisation page at / in headless chromium, offline: search,
// selection and details with their sources, the path finder, rankings,
// partners, the language switch, the URL round trip, the exports, the list
// view and a narrow screen; and on a large generated network, that the page
// starts from a search and grows by expanding neighbours without pulling
// the whole network. Any console error, page error, failed request or
// request leaving 127.0.0.1 fails the test. Screenshots: artifacts/page-*.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifacts, coopgraphBinary, guardedPage, launchChromium, pick, screenshot, startCoopgraph } from './harness.mjs';

const csp = "default-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

// operations records the operationName of every GraphQL request the page sends.
function recordOperations(page) {
  const ops = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/graphql' && req.method() === 'POST') {
      ops.push(JSON.parse(req.postData()).operationName);
    }
  });
  return ops;
}

// withPage opens the page (at query, e.g. "?sel=x") in a fresh context,
// waits until it has restored its view, runs fn, and then requires that
// nothing went wrong on the page. A failing test leaves NAME-failure.png.
async function withPage(server, name, fn, { query = '', viewport } = {}) {
  const g = await guardedPage(browser, viewport ? { viewport } : undefined);
  const ops = recordOperations(g.page);
  try {
    const res = await g.page.goto(`${server.base}/${query}`);
    assert.equal(res.status(), 200);
    // The bundle must run under this policy: a violation is a console error.
    assert.equal(res.headers()['content-security-policy'], csp);
    await g.page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000 });
    assert.equal(await g.page.evaluate(() => document.body.dataset.ready), 'true', await g.page.locator('#error').innerText());
    await fn(g.page, ops);
  } catch (err) {
    await screenshot(g.page, `${name}-failure`).catch(() => {});
    throw err;
  } finally {
    await g.context.close();
  }
  assert.deepEqual(g.problems(), [], 'the page had problems');
}


async function detailsName(page) {
  return (await page.locator('#details-name').innerText()).trim();
}

// listIds shows the list view and returns the ids of the entities in view.
async function listIds(page) {
  if ((await page.locator('#view-list').getAttribute('aria-pressed')) !== 'true') await page.click('#view-list');
  return page.locator('#list-body button[data-id]').evaluateAll((bs) => bs.map((b) => b.dataset.id));
}

async function downloaded(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = path.join(artifacts, `page-download-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), bytes: readFileSync(file) };
}

// xmlIds parses an export in the browser (as XML, failing on any error) and
// returns the ids of its nodes and the number of its edges.
function xmlIds(page, text) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const err = doc.querySelector('parsererror');
    if (err) return { error: err.textContent };
    return {
      root: doc.documentElement.localName,
      nodes: [...doc.getElementsByTagName('node')].map((n) => n.getAttribute('id')),
      edges: doc.getElementsByTagName('edge').length,
    };
  }, text);
}

describe('page on the seed network', () => {
  let server;
  before(async () => {
    server = await startCoopgraph();
  });
  after(async () => {
    await server?.stop();
  });

  test('starts with the whole network drawn, a legend and no request leaving 127.0.0.1', async () => {
    await withPage(server, 'page-start', async (page, ops) => {
      assert.ok(ops.includes('PageOverview') && ops.includes('PageNetwork'), `operations: ${ops}`);
      assert.match(await page.locator('#status').innerText(), /129 entities and 183 relations: the whole network/);
      assert.equal(await page.locator('#graph canvas').count() > 0, true, 'sigma drew no canvas');
      const legend = await page.locator('#legend').innerText();
      assert.match(legend, /Region \(12\)/);
      assert.match(legend, /Organisation \(\d+\)/);
      await screenshot(page, 'page-start');
      const ids = await listIds(page);
      assert.equal(ids.length, 129);
      assert.ok(ids.includes('malopolskie'));
      await screenshot(page, 'page-list');
    });
  });

  test('searches ignoring diacritics, selects, and shows details with sources', async () => {
    await withPage(server, 'page-search', async (page) => {
      await page.locator('#search').pressSequentially('Malopolska', { delay: 20 });
      const option = page.locator('#search-list li[data-id="malopolskie"]');
      await option.waitFor();
      assert.match(await option.innerText(), /Województwo Małopolskie/);
      await screenshot(page, 'page-suggestions');
      await option.click();
      await page.locator('#details-name').waitFor();
      assert.equal(await detailsName(page), 'Województwo Małopolskie');
      const details = page.locator('#pane-details');
      assert.match(await details.innerText(), /Lesser Poland/, 'aliases missing');
      assert.ok((await details.locator('.rel-group').count()) >= 3, 'relations are not grouped by type');
      const quote = (await details.locator('.rel .source blockquote').first().innerText()).trim();
      assert.ok(quote.length > 10, `no source quote: ${quote}`);
      assert.match(await details.locator('.rel .source cite').first().innerText(), /Source: \S+/);
      assert.match(page.url(), /[?&]sel=malopolskie\b/);
      await screenshot(page, 'page-details');

      // Keyboard only: type, arrow down, enter.
      await page.fill('#search', '');
      await page.focus('#search');
      await page.keyboard.type('Slaskie', { delay: 20 });
      await page.locator('#search-list li[data-id]').first().waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('details-name')?.textContent.includes('Śląskie'));
      assert.match(page.url(), /[?&]sel=slaskie\b/);
    });
  });

  test('finds the paths from Opolskie to Małopolskie and writes them in words', async () => {
    let shared;
    let words;
    await withPage(server, 'page-path', async (page) => {
      await page.click('#tab-path');
      await pick(page, '#path-from', 'Opolskie', 'opolskie');
      await pick(page, '#path-to', 'Malopolska', 'malopolskie');
      await page.click('#path-form button[type=submit]');
      const first = page.locator('#path-result .paths.shortest li .words').first();
      await first.waitFor();
      words = await page.locator('#path-result .paths.shortest .words').allInnerTexts();
      assert.ok(
        words.some((w) => /^Województwo Opolskie — member of → Dom Polski Południowej w Brukseli ← member of — Województwo Małopolskie$/.test(w)),
        `paths: ${words.join(' | ')}`,
      );
      assert.ok((await page.locator('#path-result .paths.alternatives li').count()) >= 1, 'no k alternatives');
      assert.match(page.url(), /[?&]from=opolskie&to=malopolskie\b/);
      await screenshot(page, 'page-path');
      shared = page.url();
    });
    // The URL of that view, opened in a fresh browser context, shows it again.
    await withPage(
      server,
      'page-path-shared',
      async (page) => {
        assert.equal(page.url(), shared);
        await page.locator('#path-result .paths.shortest .words').first().waitFor();
        assert.deepEqual(await page.locator('#path-result .paths.shortest .words').allInnerTexts(), words);
        assert.equal(await page.locator('#tab-path').getAttribute('aria-selected'), 'true');
        assert.equal(await page.inputValue('#path-from'), 'Województwo Opolskie');
        await screenshot(page, 'page-path-shared');
      },
      { query: new URL(shared).search },
    );
  });

  test('path options: avoiding the hub and the year change the answer', async () => {
    await withPage(
      server,
      'page-path-options',
      async (page) => {
        await page.locator('#path-result .paths.shortest .words').first().waitFor();
        const words = await page.locator('#path-result .paths.shortest .words').allInnerTexts();
        assert.ok(words.length > 0);
        assert.ok(words.every((w) => !w.includes('Dom Polski Południowej w Brukseli ')), `avoided entity on a path: ${words}`);
        assert.equal(await page.inputValue('#path-hops'), '6');
      },
      { query: '?lang=en&tab=path&from=opolskie&to=malopolskie&k=2&hops=6&avoid=dom-polski-poludniowej' },
    );
  });

  test('ranks by a measure within a kind, and a click opens the entity’s details', async () => {
    await withPage(server, 'page-rankings', async (page) => {
      await page.click('#tab-rankings');
      await page.locator('table.ranking tbody tr').first().waitFor();
      await page.selectOption('#rank-measure', 'BETWEENNESS');
      await page.selectOption('#rank-kind', 'Region');
      // The measure's answer may be drawn before the kind's: wait for both.
      await page.waitForFunction(() => {
        const cells = [...document.querySelectorAll('table.ranking tbody tr td:nth-child(3)')];
        return /Betweenness/.test(document.querySelector('table.ranking caption')?.textContent ?? '') && cells.length >= 5 && cells.every((c) => c.textContent === 'Region');
      });
      const rows = page.locator('table.ranking tbody tr');
      assert.ok((await rows.count()) >= 5);
      const kinds = await rows.locator('td:nth-child(3)').allInnerTexts();
      assert.ok(kinds.every((k) => k === 'Region'), `kinds: ${kinds}`);
      const top = rows.first().locator('button[data-id]');
      const name = (await top.innerText()).trim();
      const id = await top.getAttribute('data-id');
      assert.equal(id, 'malopolskie');
      // The rankings have a measure of their own: the graph's size stays.
      assert.match(page.url(), /rankmeasure=BETWEENNESS/);
      assert.equal(await page.inputValue('#measure'), 'DEGREE');
      assert.match(page.url(), /kind=Region/);
      await screenshot(page, 'page-rankings');
      await top.click();
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('sel') === id, id);
      await page.locator('#details-name').waitFor();
      assert.equal(await page.locator('#tab-details').getAttribute('aria-selected'), 'true', 'the click did not open the details');
      assert.equal(await detailsName(page), name);
      // Back on the rankings, the entity's row is marked.
      await page.click('#tab-rankings');
      await page.waitForFunction(() => document.querySelector('table.ranking tbody tr.selected'));

      // CSV of the table.
      await page.click('#tab-rankings');
      await page.locator('table.ranking tbody tr').first().waitFor();
      const { name: file, bytes } = await downloaded(page, '#export-rankings');
      assert.equal(file, 'coopgraph-betweenness-Region.csv');
      const lines = bytes.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
      assert.equal(lines[0], 'rank,id,name,kind,score');
      assert.equal(lines.length, (await rows.count()) + 1);
      assert.match(lines[1], /^1,malopolskie,Województwo Małopolskie,Region,0\.\d+$/);
    });
  });

  test('shows who partners with whom, through what', async () => {
    await withPage(
      server,
      'page-partners',
      async (page) => {
        const table = page.locator('table.partners');
        await table.waitFor();
        assert.match(await table.locator('caption').innerText(), /RESPONDET/);
        const rows = table.locator('tbody tr');
        assert.ok((await rows.count()) >= 3, 'too few partners');
        assert.match(await rows.first().locator('td').nth(2).innerText(), /\S/, 'no shared context listed');
        await screenshot(page, 'page-partners');
        const { bytes } = await downloaded(page, '#export-partners');
        const lines = bytes.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
        assert.equal(lines[0], 'id,name,kind,shared,contexts');
        assert.equal(lines.length, (await rows.count()) + 1);
      },
      { query: '?lang=en&sel=respondet&tab=partners' },
    );
  });

  test('switches between Polish and English', async () => {
    await withPage(server, 'page-language', async (page) => {
      await pick(page, '#search', 'Malopolska', 'malopolskie');
      await page.locator('#details-name').waitFor();
      await page.click('button[data-lang="pl"]');
      assert.equal(await page.getAttribute('html', 'lang'), 'pl');
      assert.equal((await page.locator('#tab-path').innerText()).trim(), 'Ścieżki');
      assert.equal((await page.locator('#view-list').innerText()).trim(), 'Lista');
      await page.waitForFunction(() => document.querySelector('#pane-details h4')?.textContent === 'Inne nazwy');
      assert.match(await page.locator('#legend').innerText(), /Legenda/);
      assert.match(page.url(), /[?&]lang=pl\b/);
      await screenshot(page, 'page-polish');
      await page.click('button[data-lang="en"]');
      assert.equal((await page.locator('#tab-path').innerText()).trim(), 'Path finder');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
    });
    // The path in Polish words.
    await withPage(
      server,
      'page-path-polish',
      async (page) => {
        await page.locator('#path-result .paths.shortest .words').first().waitFor();
        const words = await page.locator('#path-result .paths.shortest .words').allInnerTexts();
        assert.ok(words.some((w) => w.includes('— członek → Dom Polski Południowej w Brukseli ← członek —')), words.join(' | '));
        assert.equal(await page.locator('#path-form button[type=submit]').innerText(), 'Znajdź ścieżki');
        // Counts in the forms Polish gives them (Intl.PluralRules): 2 kroki, not "2 kroków";
        // one shortest path is "Najkrótsza ścieżka", not "Wszystkie najkrótsze ścieżki (1…".
        assert.match(await page.locator('#path-result').innerText(), /Najkrótsza ścieżka \(2 kroki\)/);
      },
      { query: '?lang=pl&tab=path&from=opolskie&to=malopolskie&k=0' },
    );
  });

  test('exports the view as PNG, GraphML, GEXF and CSV', async () => {
    await withPage(server, 'page-export', async (page) => {
      const png = await downloaded(page, '#export-png');
      assert.equal(png.name, 'coopgraph-network.png');
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
      assert.ok(png.bytes.length > 20_000, `PNG of ${png.bytes.length} bytes: blank?`);
      const visible = (await listIds(page)).sort();
      for (const [button, root] of [
        ['#export-graphml', 'graphml'],
        ['#export-gexf', 'gexf'],
      ]) {
        const { bytes } = await downloaded(page, button);
        const parsed = await xmlIds(page, bytes.toString('utf8'));
        assert.equal(parsed.error, undefined, `${root}: ${parsed.error}`);
        assert.equal(parsed.root, root);
        assert.deepEqual(parsed.nodes.sort(), visible, `${root}: not the entities in view`);
        assert.equal(parsed.edges, 183, `${root}: edges`);
      }
      const list = await downloaded(page, '#export-list');
      const lines = list.bytes.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n');
      assert.equal(lines[0], 'id,name,kind,degree,community');
      assert.equal(lines.length, 130);
    });
  });

  test('colours by community and sizes by another measure, with the legend following', async () => {
    await withPage(
      server,
      'page-community',
      async (page) => {
        assert.equal(await page.inputValue('#colour'), 'community');
        assert.equal(await page.inputValue('#measure'), 'PAGERANK');
        const legend = await page.locator('#legend').innerText();
        assert.match(legend, /Community 1 \(\d+\)/);
        assert.match(legend, /Size: PageRank/);
        await screenshot(page, 'page-community');
        await page.selectOption('#colour', 'kind');
        await page.waitForFunction(() => /Region \(12\)/.test(document.getElementById('legend').textContent));
        assert.doesNotMatch(page.url(), /colour=/);
      },
      { query: '?lang=en&colour=community&measure=PAGERANK' },
    );
  });

  test('is usable on a narrow screen', async () => {
    await withPage(
      server,
      'page-narrow',
      async (page) => {
        assert.equal(await detailsName(page), 'Województwo Małopolskie');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
        await screenshot(page, 'page-narrow');
        await page.locator('#pane-details').scrollIntoViewIfNeeded();
        await screenshot(page, 'page-narrow-details');
      },
      { query: '?lang=en&sel=malopolskie', viewport: { width: 800, height: 900 } },
    );
  });
});

describe('page on a large generated network', () => {
  let server;
  let dir;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'coopgraph-large-'));
    execFileSync(coopgraphBinary(), ['gen', '--participations', '20000', '--seed', '1', '--out', dir], { stdio: 'pipe' });
    server = await startCoopgraph({ args: ['--data', dir] });
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('starts from a search and grows by expanding neighbours, never fetching the whole network', async () => {
    let shared;
    let grown;
    await withPage(server, 'page-large', async (page, ops) => {
      const start = page.locator('#start');
      assert.ok(await start.isVisible(), 'no invitation to search');
      assert.match(await start.innerText(), /10,410 entities/);
      assert.match(await page.locator('#status').innerText(), /Showing 0 of 10,410 entities/);
      await screenshot(page, 'page-large-start');

      await pick(page, '#search', 'Austria', 'c:AT');
      await page.locator('#details-name').waitFor();
      assert.deepEqual(await listIds(page), ['c:AT']);
      await page.click('#view-graph');
      await page.click('#expand');
      await page.waitForFunction(() => /Showing (\d+) of/.exec(document.getElementById('status').textContent)?.[1] > 1);
      grown = await listIds(page);
      assert.ok(grown.length > 10 && grown.length <= 51, `${grown.length} entities after one expansion`);
      await page.click('#view-graph');
      // Expanding one of the new neighbours adds more.
      const other = grown.find((id) => id !== 'c:AT');
      await page.click('#view-list');
      await page.click(`#list-body button[data-id="${other}"]`);
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('sel') === id, other);
      await page.click('#view-graph');
      await page.click('#expand');
      await page.waitForFunction((n) => /Showing (\d+) of/.exec(document.getElementById('status').textContent)?.[1] > n, grown.length);
      grown = await listIds(page);
      await page.click('#view-graph');
      await page.waitForTimeout(500);
      await screenshot(page, 'page-large-expanded');
      assert.ok(!ops.includes('PageNetwork'), `the page fetched the whole network: ${ops}`);
      assert.ok(ops.includes('PageNeighbours') && ops.includes('PageSubgraph'));
      shared = page.url();
      assert.match(shared, /open=c%3AAT%2C/);
    });
    // The shared URL restores the same entities in view.
    await withPage(
      server,
      'page-large-shared',
      async (page, ops) => {
        assert.deepEqual((await listIds(page)).sort(), [...grown].sort());
        assert.ok(!ops.includes('PageNetwork'));
      },
      { query: new URL(shared).search },
    );
  });
});

describe('page on sources that ask for credit', () => {
  let server;
  let dir;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'coopgraph-credits-'));
    writeFileSync(
      path.join(dir, 'regions.yaml'),
      'entities:\n  - {id: nuts:PL21, kind: Region, name: Małopolskie}\n  - {id: nuts:PL2, kind: Region, name: Makroregion południowy}\n' +
        'relations:\n  - {from: nuts:PL21, type: PART_OF, to: nuts:PL2}\n',
    );
    writeFileSync(path.join(dir, 'credit.yaml'), 'credit: ["NUTS: © European Union, Eurostat", "Source: keep.eu (Interact)"]\n');
    server = await startCoopgraph({ args: ['--data', dir] });
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('shows the credit lines of the sources in the footer, in both languages', async () => {
    await withPage(server, 'page-credits', async (page) => {
      const credits = page.locator('#credits');
      assert.ok(await credits.isVisible(), 'no credit lines in the footer');
      assert.equal(await credits.innerText(), 'Data: NUTS: © European Union, Eurostat · Source: keep.eu (Interact)');
      await page.click('[data-lang="pl"]');
      assert.equal(await credits.innerText(), 'Dane: NUTS: © European Union, Eurostat · Source: keep.eu (Interact)');
      await screenshot(page, 'page-credits');
    });
  });
});
