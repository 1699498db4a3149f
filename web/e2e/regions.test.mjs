// Issue 17 on the built-in linked network (111,204 entities), in headless
// chromium: the page opens on Małopolska (looked up as NUTS's nuts:PL21)
// with its neighbours on screen; the start panel's questions do what they
// say; the partner regions tab ranks Małopolska's partner regions as the
// API's regionPartnersPage answers them (asked here too), pages, filters
// by period and programme, lists a row's projects and exports CSV; the map
// colours partner countries by their projects; Polish labels; axe-core
// finds no violation. Screenshots: artifacts/regions-*.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { graphql as gql, startCoopgraph, screenshot } from './harness.mjs';
import { noViolations, useBrowser, withPage } from './rankings-helpers.mjs';

useBrowser();

const noProjectsFill = '#eef0f2'; // regions.js: a country without shared projects


// partners is the API's answer the page's table must show.
async function partners(server, args) {
  const d = await gql(
    server,
    `query($region: ID!, $level: Int!, $first: Int!, $from: String, $to: String, $programmes: [ID!]) {
      regionPartnersPage(region: $region, level: $level, first: $first, activeFrom: $from, activeTo: $to, programmes: $programmes) {
        totalCount partners { region { id name } projects }
      }
    }`,
    { from: null, to: null, programmes: null, ...args },
  );
  return d.regionPartnersPage;
}

// tableRows reads the partner regions table: [{id, name, projects}].
async function tableRows(page) {
  return page.locator('table.regions tbody tr[data-id]').evaluateAll((trs) =>
    trs.map((tr) => ({ id: tr.dataset.id, name: tr.querySelector('td:nth-child(2) button').textContent, projects: Number(tr.querySelector('td:nth-child(3)').textContent.replace(/\D/g, '')) })),
  );
}

function expected(answer) {
  return answer.partners.map((p) => ({ id: p.region.id, name: p.region.name, projects: p.projects }));
}

// settle waits for the table to show the answer that says so in its count.
async function settle(page, text) {
  await page.locator('#regions-result:not([aria-busy])').waitFor({ timeout: 60_000 });
  await page.locator('#regions-count', { hasText: text }).waitFor({ timeout: 60_000 });
}

describe('partner regions and the start on the built-in linked network', () => {
  let server;
  let home; // Małopolska as the API finds it
  before(async () => {
    server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
    home = (await gql(server, '{ entity(id: "nuts:PL21") { id name neighboursConnection(first: 1) { totalCount } } }')).entity;
  });
  after(async () => {
    await server?.stop();
  });

  test('the page opens on Małopolska and its neighbours, on screen; a URL with a selection still restores it', async () => {
    await withPage(server, 'regions-open', async (page) => {
      assert.equal(new URL(page.url()).searchParams.get('sel'), home.id);
      const neighbours = Math.min(50, home.neighboursConnection.totalCount);
      assert.equal(await page.evaluate(() => window.__coopgraph.nodes()), 1 + neighbours);
      assert.match(await page.locator('#pane-details h3').innerText(), new RegExp(home.name));
      // Fitted: every entity inside the canvas once the camera has settled.
      await page.waitForFunction(() => window.__coopgraph.onScreen()?.every((n) => n.inside), null, { timeout: 10_000 });
      await screenshot(page, 'regions-open');
    }, { query: '?lang=en' });

    const other = (await partners(server, { region: home.id, level: 0, first: 1 })).partners[0].region;
    await withPage(server, 'regions-open-sel', async (page) => {
      assert.equal(new URL(page.url()).searchParams.get('sel'), other.id);
      assert.equal(await page.evaluate(() => window.__coopgraph.nodes()), 1);
      assert.match(await page.locator('#pane-details h3').innerText(), new RegExp(other.name));
    }, { query: `?lang=en&sel=${encodeURIComponent(other.id)}` });
  });

  test('the start panel: each question one click, dismissible, back from Start', async () => {
    await withPage(server, 'regions-start', async (page) => {
      const panel = page.locator('#start-panel');
      assert.ok(await panel.isVisible());
      await noViolations(page, 'the start panel');

      await page.click('#start-path');
      assert.equal(await page.getAttribute('#tab-path', 'aria-selected'), 'true');
      assert.equal(await page.inputValue('#path-from'), home.name);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'path-to');
      assert.ok(!(await panel.isVisible()), 'a question closes the panel');

      await page.click('#home');
      assert.ok(await panel.isVisible());
      await page.click('#start-rankings');
      assert.equal(await page.getAttribute('#tab-rankings', 'aria-selected'), 'true');

      await page.click('#home');
      assert.match(await page.locator('#start-partners').innerText(), new RegExp(`Partners of ${home.name}`));
      await page.click('#start-partners');
      assert.equal(await page.getAttribute('#tab-partners', 'aria-selected'), 'true');
      await page.locator('table.partners caption', { hasText: home.name }).waitFor();

      await page.click('#home');
      await page.click('#start-regions');
      assert.equal(await page.getAttribute('#tab-regions', 'aria-selected'), 'true');
      await page.locator('#regions-title', { hasText: home.name }).waitFor();

      await page.click('#home');
      await page.click('#start-close');
      assert.ok(!(await panel.isVisible()));
      assert.equal(await page.getAttribute('#home', 'aria-expanded'), 'false');

      // A phone: the panel goes under the graph, not over it.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.click('#home');
      const graph = await page.locator('#graph').boundingBox();
      const box = await panel.boundingBox();
      assert.ok(box.y >= graph.y + graph.height, `the start panel (top ${box.y}) covers the graph (bottom ${graph.y + graph.height})`);
      await screenshot(page, 'regions-start-phone');
    }, { query: '?lang=en' });
  });

  test('partner regions of Małopolska: ranked as the API answers, paged, filtered, projects, CSV, map', async () => {
    await withPage(server, 'regions-tab', async (page) => {
      await page.click('#tab-regions');
      const level0 = await partners(server, { region: home.id, level: 0, first: 20 });
      await settle(page, `Showing 20 of ${level0.totalCount} partner regions.`);
      let rows = await tableRows(page);
      assert.deepEqual(rows, expected(level0));
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].projects >= rows[i].projects, 'most projects first');

      // The map: partner countries coloured, the others not; the most
      // projects in the darkest class.
      const fills = await page.locator('#regions-map path.country').evaluateAll((ps) => Object.fromEntries(ps.map((p) => [p.dataset.iso, { fill: p.getAttribute('fill'), projects: Number(p.dataset.projects) }])));
      for (const iso of ['380', '724', '276']) {
        assert.ok(fills[iso].projects > 0, `country ${iso} has projects`);
        assert.notEqual(fills[iso].fill, noProjectsFill, `country ${iso} is coloured`);
      }
      const none = Object.entries(fills).find(([, f]) => f.projects === 0);
      assert.ok(none, 'a country without shared projects is drawn');
      assert.equal(none[1].fill, noProjectsFill);
      const few = Object.values(fills).find((f) => f.projects === 1);
      assert.ok(few, 'a country with one shared project');
      assert.notEqual(fills['276'].fill, few.fill, 'more projects, another colour');
      assert.equal(fills['276'].projects, level0.partners.find((p) => p.region.name === 'Germany')?.projects);
      // Poland, Małopolska's own country, is no partner: drawn apart.
      assert.equal(fills['616'].projects, 0);
      assert.equal(await page.getAttribute('#regions-map path[data-iso="616"]', 'class'), 'country own');
      assert.notEqual(fills['616'].fill, noProjectsFill);
      assert.match(await page.getAttribute('#regions-map', 'role'), /^img$/);
      assert.match(await page.getAttribute('#regions-map', 'aria-label'), new RegExp(`Map of the partner countries of ${home.name}`));
      // The map's click, for the keyboard: each country's regions.
      assert.equal(await page.locator('table.regions .country-regions').count(), rows.length);
      await noViolations(page, 'the partner regions by country with the map');
      await screenshot(page, 'regions-desktop');

      // NUTS 2, then a page more.
      await page.selectOption('#regions-level', '2');
      const level2 = await partners(server, { region: home.id, level: 2, first: 40 });
      await settle(page, `Showing 20 of ${level2.totalCount} partner regions.`);
      assert.deepEqual(await tableRows(page), expected(level2).slice(0, 20));
      await page.click('#regions-more');
      await settle(page, `Showing 40 of ${level2.totalCount} partner regions.`);
      assert.deepEqual(await tableRows(page), expected(level2));

      // A period: the answer changes as the API's does.
      await page.fill('#regions-from', '2016');
      await page.locator('#regions-from').dispatchEvent('change');
      await page.fill('#regions-to', '2018');
      await page.locator('#regions-to').dispatchEvent('change');
      const period = await partners(server, { region: home.id, level: 2, first: 20, from: '2016', to: '2018' });
      await settle(page, `Showing ${Math.min(20, period.totalCount)} of ${period.totalCount} partner regions.`);
      assert.deepEqual(await tableRows(page), expected(period));
      assert.ok(period.totalCount <= level2.totalCount);
      assert.match(page.url(), /ryear=2016&tyear=2018/);

      // A bad period is said so, not asked.
      await page.fill('#regions-to', '2010');
      await page.locator('#regions-to').dispatchEvent('change');
      await page.locator('#regions-count.problem', { hasText: '“from” must not be later than “to”' }).waitFor();
      await page.fill('#regions-to', '2018');
      await page.locator('#regions-to').dispatchEvent('change');
      await settle(page, `of ${period.totalCount} partner regions.`);

      // A programme of those present.
      const programme = await page.locator('#regions-programme option').nth(1).getAttribute('value');
      await page.selectOption('#regions-programme', programme);
      const byProgramme = await partners(server, { region: home.id, level: 2, first: 20, from: '2016', to: '2018', programmes: [programme] });
      await settle(page, `Showing ${Math.min(20, byProgramme.totalCount)} of ${byProgramme.totalCount} partner regions.`);
      assert.deepEqual(await tableRows(page), expected(byProgramme));
      await page.selectOption('#regions-programme', '');
      await settle(page, `of ${period.totalCount} partner regions.`);

      // A row's projects: as many as its count, each selects its project.
      rows = await tableRows(page);
      await page.locator('table.regions tbody tr[data-id] .projects-toggle').first().click();
      const items = page.locator('table.regions tr.projects-row li button');
      await items.first().waitFor({ timeout: 60_000 });
      assert.equal(await items.count(), rows[0].projects);
      assert.equal(await page.getAttribute('table.regions tbody tr[data-id] .projects-toggle >> nth=0', 'aria-expanded'), 'true');
      await noViolations(page, 'NUTS 2 partner regions with a row open');

      // CSV of the table.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-regions')]);
      const text = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
      const lines = text.trim().split(/\r\n/);
      assert.equal(lines[0], 'rank,id,name,country,projects,programmes');
      assert.equal(lines.length, 1 + rows.length);
      assert.match(lines[1], new RegExp(`^1,${rows[0].id},`));

      // A country on the map: its regions only.
      await page.locator('#regions-map path[data-iso="380"]').click();
      await page.locator('.regions-country', { hasText: 'Italy' }).waitFor({ timeout: 60_000 });
      await page.locator('#regions-result:not([aria-busy])').waitFor({ timeout: 60_000 });
      const italian = await tableRows(page);
      assert.ok(italian.length > 0);
      for (const r of italian) {
        const e = (await gql(server, `{ entity(id: ${JSON.stringify(r.id)}) { properties { key value } } }`)).entity;
        assert.match(e.properties.find((p) => p.key === 'nuts')?.value ?? '', /^IT/, `${r.id} is in Italy`);
      }
      await page.click('#regions-all-countries');
      await settle(page, `of ${period.totalCount} partner regions.`);

      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#pane-regions').scrollIntoViewIfNeeded();
      await screenshot(page, 'regions-phone');
      // A filter changed while the previous answer is on its way gives
      // that request up (AbortController): the browser says so.
    }, { query: '?lang=en', expected: /^request failed: POST .*\/graphql: net::ERR_ABORTED$/ });
  });

  test('in Polish', async () => {
    await withPage(server, 'regions-pl', async (page) => {
      await page.locator('#regions-count', { hasText: /^Pokazano 20 z \d+ regionów partnerskich\.$/ }).waitFor({ timeout: 60_000 });
      assert.equal(await page.locator('#tab-regions').innerText(), 'Regiony partnerskie');
      assert.match(await page.locator('#regions-title').innerText(), /^Regiony partnerskie: /);
      assert.equal(await page.locator('#start-panel h2').innerText(), 'Od czego zacząć');
      assert.equal(await page.locator('#start-rankings').innerText(), 'Kto jest centralny?');
      assert.match(await page.getAttribute('#regions-map', 'aria-label'), /^Mapa krajów partnerskich/);
      await noViolations(page, 'the partner regions in Polish');
      await screenshot(page, 'regions-pl');
    }, { query: '?lang=pl&tab=regions' });
  });
});
