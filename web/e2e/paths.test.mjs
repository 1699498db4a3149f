// The path finder, paging and browser history on the built-in linked
// network (111,204 entities), in headless chromium: a path from a Małopolska
// organisation to an Italian one goes through projects; its 83 shortest
// paths are drawn as one layered subgraph (the start leftmost, the end
// rightmost, the layers in order, no label over another, all in view) and
// listed a page at a time; the alternatives are routes beyond the shortest;
// the Partners tab says how many it shows of how many (the API's total) and
// shows more; Back and Forward move between a selection, a path search and
// a tab; a pasted URL shows names, not ids. axe-core finds no violation.
// Screenshots: artifacts/paths-*.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql as gql, pick, screenshot, startCoopgraph } from './harness.mjs';
import { noViolations, useBrowser, withPage } from './rankings-helpers.mjs';

useBrowser();

// A Kraków organisation (Interreg, keep.eu) and one in Milan (H2020,
// CORDIS): the data join them only through projects, six hops apart.
const from = 'keep:pl/krakow-technology-park-ltd';
const to = 'pic:999879881';



function overlap(a, b) {
  const eps = 0.5;
  return a.left < b.right - eps && b.left < a.right - eps && a.top < b.bottom - eps && b.top < a.bottom - eps;
}

describe('paths, paging and history on the built-in linked network', () => {
  let server;
  before(async () => {
    server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
  });
  after(async () => {
    await server?.stop();
  });

  test('a Małopolska organisation reaches an Italian one through projects: all shortest paths drawn layered, listed by pages, alternatives beyond them', async (t) => {
    const api = await gql(
      server,
      `query($from: ID!, $to: ID!) {
        a: entity(id: $from) { name properties { key value } }
        b: entity(id: $to) { name properties { key value } }
        sub: shortestPathSubgraph(from: $from, to: $to) { length pathCount layers { position entities { id kind } } }
      }`,
      { from, to },
    );
    const prop = (e, k) => e.properties.find((p) => p.key === k)?.value;
    assert.equal(prop(api.a, 'country'), 'PL');
    assert.match(prop(api.a, 'town'), /Krak/);
    assert.equal(prop(api.b, 'country'), 'IT');
    const sub = api.sub;
    assert.ok(sub.pathCount >= 50, `only ${sub.pathCount} shortest paths: the test needs 50 or more`);
    // Through projects: every entity between two organisations is a project.
    for (const l of sub.layers.filter((l) => l.position % 2 === 1)) {
      assert.deepEqual([...new Set(l.entities.map((e) => e.kind))], ['Project'], `layer ${l.position}`);
    }
    t.diagnostic(`${sub.pathCount} shortest paths of ${sub.length} hops; layers of ${sub.layers.map((l) => l.entities.length).join(', ')} entities`);

    await withPage(
      server,
      'paths-layered',
      async (page) => {
        // A pasted URL shows names, not ids.
        assert.equal(await page.inputValue('#path-from'), api.a.name);
        assert.equal(await page.inputValue('#path-to'), api.b.name);
        await page.locator('#path-result .paths.shortest li').first().waitFor();
        const head = await page.locator('#path-shortest-head').innerText();
        assert.match(head, new RegExp(`^${sub.pathCount} shortest paths, ${sub.length} hops each`));

        // The drawing: every entity of the subgraph once, in its layer.
        await page.locator('#path-view svg.pv').waitFor();
        const drawn = await page.evaluate(() => window.__coopgraph.pathLayout());
        assert.match(await page.locator('#path-view .path-view-note').innerText(), new RegExp(`^Every one of the ${sub.pathCount} shortest paths`), 'the drawing says it shows a part');
        const want = new Map(sub.layers.flatMap((l) => l.entities.map((e) => [e.id, l.position])));
        assert.equal(drawn.length, want.size, 'the drawing is not the whole subgraph');
        for (const d of drawn) assert.equal(d.layer, want.get(d.id), `${d.id} in layer ${d.layer}`);
        // Layers left to right in order: one x per layer, increasing.
        const xs = sub.layers.map((l) => [...new Set(drawn.filter((d) => d.layer === l.position).map((d) => Math.round(d.x)))]);
        for (const [i, x] of xs.entries()) assert.equal(x.length, 1, `layer ${i} at several x: ${x}`);
        for (let i = 1; i < xs.length; i++) assert.ok(xs[i][0] > xs[i - 1][0], `layer ${i} not right of layer ${i - 1}`);
        const source = drawn.find((d) => d.id === from);
        const target = drawn.find((d) => d.id === to);
        assert.ok(drawn.every((d) => d.id === from || d.x > source.x), 'the start is not leftmost');
        assert.ok(drawn.every((d) => d.id === to || d.x < target.x), 'the end is not rightmost');
        // Readable: no label over another, and all within the view.
        const box = await page.locator('#path-view').boundingBox();
        for (let i = 0; i < drawn.length; i++) {
          const a = drawn[i].label;
          assert.ok(a.left >= box.x - 0.5 && a.right <= box.x + box.width + 0.5 && a.top >= box.y - 0.5 && a.bottom <= box.y + box.height + 0.5, `label of ${drawn[i].id} outside the view`);
          for (let j = i + 1; j < drawn.length; j++) assert.ok(!overlap(a, drawn[j].label), `labels of ${drawn[i].id} and ${drawn[j].id} overlap`);
        }

        // The list, by pages, saying how many of how many.
        const routes = page.locator('#path-result .paths.shortest > li');
        assert.equal(await routes.count(), 10);
        const pagerText = async () => (await page.locator('#path-pager .pager-count').innerText()).trim();
        const first = await pagerText();
        assert.match(first, new RegExp(`^Showing \\d+ of ${sub.pathCount}$`));
        await page.locator('#path-pager button').click();
        await page.waitForFunction(() => document.querySelectorAll('#path-result .paths.shortest > li').length === 20);
        const second = await pagerText();
        assert.ok(Number(/\d+/.exec(second)[0]) > Number(/\d+/.exec(first)[0]), `${first} → ${second}`);
        const words = await page.locator('#path-result .paths.shortest .words').allInnerTexts();
        assert.equal(new Set(words).size, words.length, 'a route is listed twice');
        assert.ok(words.every((w) => w.startsWith(api.a.name) && w.endsWith(api.b.name)));

        // Alternatives: k routes, none a shortest one (each longer).
        const alt = await page.locator('#path-alt-head').innerText();
        assert.match(alt, /^Alternatives: 3 routes beyond the shortest \(3 asked\)$/);
        const altHops = await page.locator('#path-result .paths.alternatives > li .path-meta span:first-child').allInnerTexts();
        assert.equal(altHops.length, 3);
        for (const h of altHops) assert.ok(Number(/\d+/.exec(h)[0]) > sub.length, `an alternative of ${h}`);
        const altWords = await page.locator('#path-result .paths.alternatives .words').allInnerTexts();
        assert.ok(altWords.every((w) => !words.includes(w)), 'an alternative repeats a shortest path');

        await noViolations(page, 'the layered paths');
        await screenshot(page, 'paths-layered');
      },
      // The drawing shows the whole subgraph when its largest layer (41
      // entities) fits the view's height at 14 px a row; under the page's
      // toolbar and filter bar that takes a window taller than 900 px (a
      // 1080p screen's), else it draws the listed routes only and says so.
      { query: `?lang=en&tab=path&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&k=3`, viewport: { width: 1440, height: 1040 } },
    );
  });

  test('parallel relations between two entities are one hop listing its sources, not several paths', async () => {
    const d = await gql(server, `{ all: allShortestPaths(from: "malopolskie", to: "vanguard-initiative", first: 100) { nodes { id } hops { relations { id type document source { id title publisher } } } } }`);
    const rels = d.all[0].hops[0].relations;
    assert.equal(d.all[0].hops.length, 1);
    assert.ok(rels.length > 1, 'Małopolska and the Vanguard Initiative have one relation: the test needs parallel ones');
    assert.equal(d.all.length, rels.length, 'allShortestPaths gives one path per parallel relation');
    await withPage(
      server,
      'paths-parallel',
      async (page) => {
        const routes = page.locator('#path-result .paths.shortest > li');
        await routes.first().waitFor();
        assert.equal(await routes.count(), 1, 'the parallel relations are listed as several paths');
        assert.equal((await page.locator('#path-pager .pager-count').innerText()).trim(), `All ${rels.length} shown`);
        assert.match(await routes.first().locator('.path-meta').innerText(), new RegExp(`${rels.length} paths through parallel relations`));
        await routes.first().locator('details.hops summary').click();
        const hops = routes.first().locator('li.hop');
        assert.equal(await hops.count(), 1);
        assert.match(await hops.first().innerText(), new RegExp(`${rels.length} sources`));
        assert.equal(await hops.first().locator('.hop-sources > li').count(), rels.length);
        const cites = await hops.first().locator('.hop-sources cite').allInnerTexts();
        // Each source by its document's title and publisher (details.js), never its file name.
        const titled = (d) => (d.publisher ? `${d.title} — ${d.publisher}` : d.title);
        assert.deepEqual(new Set(cites.map((c) => c.replace(/^Source: /, '').replace(/ ↗[\s\S]*$/, ''))), new Set(rels.map((r) => titled(r.source))));
        for (const c of cites) assert.doesNotMatch(c, /\b\d{3}_[0-9a-f]{16}\.txt\b/, c);
        await noViolations(page, 'a hop with parallel relations');
      },
      { query: '?lang=en&tab=path&from=malopolskie&to=vanguard-initiative&k=0' },
    );
  });

  test('the partners say how many of how many and show more', async () => {
    const d = await gql(server, `query($id: ID!) { partnersConnection(id: $id, first: 1) { totalCount } e: entity(id: $id) { name } }`, { id: to });
    const total = d.partnersConnection.totalCount;
    assert.ok(total > 50, `${to} has ${total} partners: the test needs more than 50`);
    await withPage(
      server,
      'paths-partners',
      async (page) => {
        const rows = page.locator('table.partners tbody tr');
        await rows.first().waitFor();
        assert.equal(await rows.count(), 50);
        assert.equal((await page.locator('#partners-pager .pager-count').innerText()).trim(), `Showing 50 of ${total.toLocaleString('en')}`);
        await page.locator('#partners-pager button').click();
        const next = Math.min(100, total);
        await page.waitForFunction((n) => document.querySelectorAll('table.partners tbody tr').length === n, next);
        const text = (await page.locator('#partners-pager .pager-count').innerText()).trim();
        assert.equal(text, next === total ? `All ${total.toLocaleString('en')} shown` : `Showing ${next} of ${total.toLocaleString('en')}`);
        const ids = await page.locator('table.partners tbody tr td:first-child button').evaluateAll((bs) => bs.map((b) => b.dataset.id));
        assert.equal(new Set(ids).size, next, 'a partner is listed twice');
        await noViolations(page, 'partners with a pager');
      },
      { query: `?lang=en&tab=partners&sel=${encodeURIComponent(to)}` },
    );
  });

  test('the rankings and the search suggestions say how many of how many and show more', async () => {
    const d = await gql(server, `{ searchConnection(text: "Krakow", first: 1) { totalCount } overview { entities } }`);
    const matches = d.searchConnection.totalCount;
    assert.ok(matches > 8, `${matches} matches of Krakow: the test needs more than 8`);
    const next = Math.min(16, matches);
    await withPage(
      server,
      'paths-more',
      async (page) => {
        await page.click('#tab-rankings');
        const rows = page.locator('table.ranking tbody tr');
        await rows.first().waitFor();
        assert.equal(await rows.count(), 50);
        const total = d.overview.entities.toLocaleString('en');
        assert.equal((await page.locator('#rankings-pager .pager-count').innerText()).trim(), `Showing 50 of ${total}`);
        await page.locator('#rankings-pager button').click();
        await page.waitForFunction(() => document.querySelectorAll('table.ranking tbody tr').length === 100);
        assert.equal((await page.locator('#rankings-pager .pager-count').innerText()).trim(), `Showing 100 of ${total}`);
        const ranks = await page.locator('table.ranking tbody tr td:first-child').allInnerTexts();
        assert.deepEqual(ranks.map(Number), Array.from({ length: 100 }, (_, i) => i + 1));

        await page.locator('#search').pressSequentially('Krakow', { delay: 20 });
        // The count of the text typed whole: while typing, a pause long
        // enough shows the suggestions of its start ("Kr") for a moment.
        const count = page.locator('#search-list li.more', { hasText: `of ${matches} ·` });
        await count.waitFor();
        assert.equal(await page.locator('#search-list li[data-id]').count(), 8);
        assert.equal((await count.innerText()).trim(), `Showing 8 of ${matches} · Show ${Math.min(8, matches - 8)} more`);
        await noViolations(page, 'search suggestions with a count');
        await count.click();
        await page.waitForFunction((n) => document.querySelectorAll('#search-list li[data-id]').length === n, next);
        const after = (await page.locator('#search-list li.count, #search-list li.more').innerText()).trim();
        assert.equal(after, next === matches ? `All ${matches} shown` : `Showing 16 of ${matches} · Show ${Math.min(8, matches - 16)} more`);
        // The keyboard stays on the first suggestion added.
        assert.equal(await page.getAttribute('#search', 'aria-activedescendant'), 'search-list-8');
        await noViolations(page, 'the rankings with a pager');
      },
      { query: '?lang=en' },
    );
  });

  test('Back and Forward move between a selection, a path search and a tab', async () => {
    const d = await gql(server, `query($a: ID!, $b: ID!) { a: entity(id: $a) { name } b: entity(id: $b) { name } }`, { a: from, b: to });
    await withPage(
      server,
      'paths-history',
      async (page) => {
        const url = () => new URL(page.url()).searchParams;
        const selected = async () => (await page.locator('[role=tab][aria-selected=true]').getAttribute('id')).slice(4);
        // 1. a selection
        await pick(page, '#search', 'Krakow Technology Park', from);
        await page.waitForFunction((id) => new URL(location.href).searchParams.get('sel') === id, from);
        await page.locator('#details-name').waitFor();
        // 2. the path finder and a search
        await page.click('#tab-path');
        await pick(page, '#path-from', 'Krakow Technology Park', from);
        await pick(page, '#path-to', 'Politecnico di Milano', to);
        await page.fill('#path-k', '0');
        await page.click('#path-form button[type=submit]');
        await page.locator('#path-result .paths.shortest li').first().waitFor();
        // 3. another tab
        await page.click('#tab-rankings');
        assert.equal(url().get('tab'), 'rankings');

        await page.goBack();
        await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'path');
        assert.equal(url().get('from'), from);
        assert.equal(await selected(), 'path');
        await page.locator('#path-result .paths.shortest li').first().waitFor();
        assert.equal(await page.inputValue('#path-to'), d.b.name);

        await page.goBack();
        await page.waitForFunction(() => !new URL(location.href).searchParams.get('from'));
        assert.equal(url().get('tab'), 'path');
        await page.waitForFunction(() => !document.querySelector('#path-result .paths'));
        assert.equal(await page.inputValue('#path-from'), '');

        await page.goBack();
        await page.waitForFunction(() => !new URL(location.href).searchParams.get('tab'));
        assert.equal(url().get('sel'), from);
        assert.equal(await selected(), 'details');
        assert.equal((await page.locator('#details-name').innerText()).trim(), d.a.name);

        await page.goForward();
        await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'path');
        assert.equal(await selected(), 'path');
        await page.goForward();
        await page.waitForFunction(() => new URL(location.href).searchParams.get('to'));
        await page.locator('#path-result .paths.shortest li').first().waitFor();
        assert.equal(await page.inputValue('#path-from'), d.a.name);
        await page.goForward();
        await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'rankings');
        assert.equal(await selected(), 'rankings');
        await noViolations(page, 'after Back and Forward');
      },
      { query: '?lang=en' },
    );
  });
});
