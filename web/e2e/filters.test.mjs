// The page's filter (filters.js) on the built-in linked network, in
// headless chromium: country Italy and kind Organisation rank only Italian
// organisations (the rankings the API answers for that filter, fetched
// here), hide the others in the graph and leave them out of the list, and
// the path finder's paths pass only through entities that pass; a period
// re-asks the rankings with it; the URL restores every filter; the panel
// speaks Polish; axe-core finds no accessibility violation in these
// states. Screenshots: artifacts/filters-*.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql, startCoopgraph, screenshot } from './harness.mjs';
import { noViolations, useBrowser, withPage } from './rankings-helpers.mjs';

useBrowser();

const italy = { countries: ['italy'], kinds: ['Organisation'] };
// Politecnico di Milano, an Italian organisation with many projects.
const polimi = 'pic:999879881';

describe('filters on the built-in linked network', () => {
  let server;
  // gql asks the server itself, as the test's oracle.
  const gql = (query, variables) => graphql(server, query, variables);
  before(async () => {
    server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
  });
  after(async () => {
    await server?.stop();
  });

  async function ranking(filter) {
    const d = await gql(
      `query($filter: EntityFilter) { centralityConnection(measure: DEGREE, first: 50, filter: $filter) { totalCount edges { node { rank entity { id name kind } } } } }`,
      { filter },
    );
    return d.centralityConnection;
  }

  // passing returns which of ids pass filter, by the API.
  async function passing(ids, filter) {
    const d = await gql(`query($ids: [ID!]!, $filter: EntityFilter) { subgraph(ids: $ids, filter: $filter) { entities { id } hidden } }`, { ids, filter });
    return new Set(d.subgraph.entities.map((e) => e.id));
  }

  async function rankedIds(page) {
    await page.locator('#rankings-result table.ranking tbody tr').first().waitFor({ timeout: 60_000 });
    return page.locator('#rankings-result table.ranking tbody tr button.link').evaluateAll((bs) => bs.map((b) => b.dataset.id));
  }

  test('country Italy and kind Organisation: rankings of Italian organisations only, as the API ranks them, said so', async () => {
    const want = await ranking(italy);
    assert.ok(want.totalCount > 1000, `only ${want.totalCount} Italian organisations`);
    assert.ok(want.edges.every((e) => e.node.entity.kind === 'Organisation'));
    const unfiltered = await ranking(null);
    assert.notDeepEqual(
      unfiltered.edges.map((e) => e.node.entity.id),
      want.edges.map((e) => e.node.entity.id),
      'the filter changed nothing',
    );
    await withPage(
      server,
      'filters-rankings',
      async (page) => {
        const ids = await rankedIds(page);
        assert.deepEqual(ids, want.edges.map((e) => e.node.entity.id));
        assert.match(await page.locator('table.ranking caption').innerText(), new RegExp(`of ${want.totalCount.toLocaleString('en-GB')} by Degree`));
        assert.match(await page.locator('#rank-filter-note').innerText(), /only entities passing them are ranked/);
        const chips = await page.locator('#filter-bar .chip').allInnerTexts();
        assert.deepEqual(chips.map((c) => c.replace(/\s*×$/, '')).sort(), ['Country: Italy', 'Kind: Organisation']);
        await page.locator('#filter-bar summary').click();
        await noViolations(page, 'the filter panel open with two filters');
        await screenshot(page, 'filters-rankings');
      },
      { query: '?lang=en&tab=rankings&fcountry=italy&fkind=Organisation' },
    );
  });

  test('choosing filters in the panel hides the others in the graph and the list, and the URL restores them', async () => {
    await withPage(
      server,
      'filters-view',
      async (page) => {
        // Politecnico di Milano and its first 50 neighbours, unfiltered.
        await page.locator('#list-body tr').nth(10).waitFor({ timeout: 60_000 });
        const listed = () => page.locator('#list-body button.link').evaluateAll((bs) => bs.map((b) => b.dataset.id));
        const all = await listed();
        const kept = await passing(all, italy);
        assert.ok(kept.size > 0 && kept.size < all.length, `${kept.size} of ${all.length} pass: no test`);

        await page.locator('#filter-bar summary').click();
        await page.locator('#filter-kind-Organisation').check();
        await page.selectOption('#filter-country', 'italy');
        await page.waitForFunction(() => /hidden/.test(document.getElementById('filter-note')?.textContent ?? ''), null, { timeout: 30_000 });
        const shown = await listed();
        assert.deepEqual(new Set(shown), kept, 'the list shows exactly the entities passing the filter');
        const hidden = all.length - kept.size;
        assert.equal(await page.locator('#filter-note').innerText(), `Filters active: ${hidden} ${hidden === 1 ? 'entity in view is' : 'entities in view are'} hidden.`);
        // The graph hides them (sigma's hidden attribute), without dropping them.
        await page.click('#view-graph');
        assert.equal(await page.evaluate(() => window.__coopgraph.nodes()), all.length);
        const url = new URL(page.url());
        assert.deepEqual(url.searchParams.getAll('fcountry'), ['italy']);
        assert.deepEqual(url.searchParams.getAll('fkind'), ['Organisation']);
        await noViolations(page, 'the graph with a filter hiding entities');
        await screenshot(page, 'filters-graph');

        // The URL restores the filter; the expansion it replays asks for
        // the neighbours passing the filter only, so every entity listed
        // passes it.
        const again = new URL(page.url());
        again.searchParams.set('view', 'list');
        await page.goto(again.href);
        await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120_000 });
        await page.locator('#filter-note').waitFor({ timeout: 30_000 });
        const restored = await listed();
        assert.ok(restored.includes(polimi), restored.join(' '));
        const ok = await passing(restored, italy);
        assert.deepEqual(restored.filter((id) => !ok.has(id)), [], 'the restored list shows entities that do not pass');
        assert.deepEqual((await page.locator('#filter-bar .chip').allInnerTexts()).map((c) => c.replace(/\s*×$/, '')).sort(), ['Country: Italy', 'Kind: Organisation']);
        assert.equal(await page.locator('#filter-kind-Organisation').isChecked(), true);

        // Removing a chip removes its filter; clear all removes the rest.
        await page.locator('#filter-bar .chip', { hasText: 'Kind' }).click();
        await page.waitForFunction(() => document.querySelectorAll('#filter-bar .chip').length === 1);
        assert.deepEqual(new URL(page.url()).searchParams.getAll('fkind'), []);
        await page.click('#filter-clear');
        await page.waitForFunction(() => document.getElementById('filter-note').hidden);
        assert.equal(new URL(page.url()).searchParams.getAll('fcountry').length, 0);
        assert.equal(await page.locator('#filter-bar .chip').count(), 0);
      },
      { query: `?lang=en&view=list&sel=${encodeURIComponent(polimi)}&open=${encodeURIComponent(polimi)}` },
    );
  });

  test('paths pass only through entities passing the filter', async () => {
    const filter = { countries: ['italy', 'poland'] };
    await withPage(
      server,
      'filters-paths',
      async (page) => {
        // The page found the paths while opening; asked again, the question is seen here.
        const answer = page.waitForResponse((r) => r.url().endsWith('/graphql') && JSON.parse(r.request().postData() ?? '{}').operationName === 'PageShortestPaths', { timeout: 60_000 });
        await page.click('#path-form button[type=submit]');
        const res = await answer;
        const sent = JSON.parse(res.request().postData()).variables.filter;
        assert.deepEqual(sent, filter);
        const body = await res.json();
        const paths = [...body.data.all, ...(body.data.k ?? [])];
        assert.ok(paths.length > 0, 'no path found');
        const inner = [...new Set(paths.flatMap((p) => p.nodes.slice(1, -1).map((n) => n.id)))];
        const ok = await passing(inner, filter);
        assert.deepEqual(inner.filter((id) => !ok.has(id)), [], 'a path passes through an entity outside Italy and Poland');
        // Unfiltered, the shortest paths are shorter, through other countries.
        const free = await gql(`{ allShortestPaths(from: "malopolskie", to: "${polimi}", first: 1) { length } }`);
        assert.ok(free.allShortestPaths[0].length <= paths[0].length);
        await page.locator('#path-result .words').first().waitFor({ timeout: 30_000 });
        assert.match(await page.locator('#path-filter-note').innerText(), /paths pass only through entities passing them/);
        await noViolations(page, 'the path finder with a filter');
      },
      { query: `?lang=en&tab=path&from=malopolskie&to=${encodeURIComponent(polimi)}&k=2&fcountry=italy&fcountry=poland` },
    );
  });

  test('a period re-asks the rankings with it; the panel speaks Polish', async () => {
    const period = { ...italy, activeFrom: '2016', activeTo: '2016' };
    const want = await ranking(period);
    const whole = await ranking(italy);
    assert.ok(want.totalCount < whole.totalCount, 'the period kept every Italian organisation');
    await withPage(
      server,
      'filters-period',
      async (page) => {
        await rankedIds(page);
        assert.match(await page.locator('#filter-bar summary').innerText(), /^Filtry \(2 aktywne\)$/);
        await page.locator('#filter-bar summary').click();
        await page.fill('#filter-from', '2016');
        await page.locator('#filter-from').dispatchEvent('change');
        await page.fill('#filter-to', '2016');
        await page.locator('#filter-to').dispatchEvent('change');
        await page.waitForFunction(
          (total) => document.querySelector('#rankings-result table.ranking caption')?.textContent.includes(total),
          new Intl.NumberFormat('pl-PL', { useGrouping: 'always' }).format(want.totalCount), // as the page writes numbers
          { timeout: 60_000 },
        );
        assert.deepEqual(await rankedIds(page), want.edges.map((e) => e.node.entity.id));
        const url = new URL(page.url());
        assert.equal(url.searchParams.get('ffrom'), '2016');
        assert.equal(url.searchParams.get('fto'), '2016');
        const chips = await page.locator('#filter-bar .chip').allInnerTexts();
        assert.ok(chips.some((c) => c.startsWith('Okres: 2016–2016')), chips.join(' | '));
        assert.ok(chips.some((c) => c.startsWith('Kraj: Italy')), chips.join(' | '));
        assert.match(await page.locator('#rank-filter-note').innerText(), /^Aktywne filtry: ranking obejmuje tylko podmioty/);
        assert.equal(await page.locator('#filter-clear').innerText(), 'Wyczyść wszystkie filtry');
        await noViolations(page, 'the rankings with a period, in Polish');
        await screenshot(page, 'filters-period');
      },
      { query: '?lang=pl&tab=rankings&fcountry=italy&fkind=Organisation' },
    );
  });
});
