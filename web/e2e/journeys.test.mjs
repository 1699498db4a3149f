// The journeys of issue 17 on the default, built-in linked network (the
// network `coopgraph serve` opens on), walked as a policy officer and an
// analyst would, once on a desktop (1440×900) and once on a phone
// (390×844): the page opens on Małopolska with its start panel; Małopolska's
// partner regions, ranked, and the map of partner countries; a path from a
// Kraków organisation to a Milan one, through projects; who is central
// (betweenness, first answer within the bound); the same page in Polish;
// Back and Forward between those views; on the desktop, the exports parsed
// back (GraphML, GEXF, the ranking's CSV, the PNG's text chunks). axe-core
// runs in every state and a screenshot of each is kept in
// artifacts/journey-<viewport>-<state>.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifacts, graphql, guardedPage, launchChromium, pick, screenshot, startCoopgraph } from './harness.mjs';
import { chooseTimed, firstAnswerMs, noViolations } from './rankings-helpers.mjs';

// A Kraków organisation (keep.eu Interreg) and one in Milan (CORDIS H2020):
// the data join them only through projects.
const from = 'keep:pl/krakow-technology-park-ltd';
const to = 'pic:999879881';

const viewports = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
};

let browser;
let server;
const gql = (query, variables) => graphql(server, query, variables);



// download clicks button and returns the downloaded file's path and text.
async function download(page, button, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = path.join(artifacts, `journey-download-${name}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return file;
}

// pngText reads a PNG's tEXt and iTXt chunks (keyword → text).
function pngText(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'not a PNG');
  const out = {};
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    if (type === 'tEXt') {
      const nul = data.indexOf(0);
      out[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1);
    } else if (type === 'iTXt') {
      const nul = data.indexOf(0);
      // keyword \0 compressed flag, method, language \0 translated keyword \0 text
      let p = nul + 3;
      p = data.indexOf(0, p) + 1;
      p = data.indexOf(0, p) + 1;
      out[data.toString('latin1', 0, nul)] = data.toString('utf8', p);
    }
    at += 12 + len;
  }
  return out;
}

describe('journeys on the default network', () => {
  let api;
  before(async () => {
    browser = await launchChromium();
    server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
    api = await gql(
      `query($from: ID!, $to: ID!) {
        home: entity(id: "nuts:PL21") { id name }
        a: entity(id: $from) { name }
        b: entity(id: $to) { name }
        partners: regionPartners(region: "nuts:PL21", level: 0, first: 3) { region { id name } projects }
        sub: shortestPathSubgraph(from: $from, to: $to) { length pathCount layers { position entities { id kind } } }
      }`,
      { from, to },
    );
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [device, viewport] of Object.entries(viewports)) {
    test(`${device} ${viewport.width}×${viewport.height}: Małopolska, its partner regions and map, a path through projects, who is central, Polish, Back and Forward${device === 'desktop' ? ', exports' : ''}`, async (t) => {
      const g = await guardedPage(browser, { viewport });
      const { page } = g;
      let problems;
      // state takes the screenshot of a state of the journey and runs axe on it.
      const state = async (name) => {
        await screenshot(page, `journey-${device}-${name}`);
        await noViolations(page, `${device}: ${name}`);
      };
      try {
        // 1. The page opens on Małopolska and its direct cooperation, with the start panel.
        await page.goto(`${server.base}/?lang=en`);
        await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 120_000 });
        assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true');
        await page.locator('#pane-details h3', { hasText: api.home.name }).waitFor({ timeout: 60_000 });
        assert.ok(await page.locator('#start-panel').isVisible(), 'no start panel');
        assert.ok((await page.evaluate(() => window.__coopgraph.nodes())) > 1, 'Małopolska is alone in view');
        await state('open');

        // 2. Partner regions of Małopolska (by country at first), ranked as the API ranks them, and the map.
        await page.click('#start-regions');
        await page.locator('#regions-title', { hasText: api.home.name }).waitFor({ timeout: 60_000 });
        await page.locator('#regions-result:not([aria-busy])').waitFor({ timeout: 60_000 });
        const rows = await page.locator('table.regions tbody tr[data-id]').evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
        assert.deepEqual(rows.slice(0, 3), api.partners.map((p) => p.region.id));
        const coloured = await page.locator('#regions-map path.country').evaluateAll((ps) => ps.filter((p) => Number(p.dataset.projects) > 0).length);
        assert.ok(coloured >= 10, `only ${coloured} partner countries coloured on the map`);
        await state('regions');

        // 3. How is a Kraków organisation linked to one in Milan? Through projects.
        await page.click('#tab-path');
        await pick(page, '#path-from', 'Krakow Technology Park', from);
        await pick(page, '#path-to', api.b.name.slice(0, 24), to);
        await page.click('#path-form button[type=submit]');
        await page.locator('#path-result .paths.shortest li').first().waitFor({ timeout: 60_000 });
        const head = await page.locator('#path-shortest-head').innerText();
        assert.match(head, new RegExp(`^${api.sub.pathCount} shortest paths, ${api.sub.length} hops each`));
        const words = await page.locator('#path-result .paths.shortest .words').first().innerText();
        assert.ok(words.startsWith(api.a.name) && words.endsWith(api.b.name), words);
        const kinds = new Map(api.sub.layers.flatMap((l) => l.entities.map((e) => [e.id, e.kind])));
        const drawn = await page.evaluate(() => window.__coopgraph.pathLayout());
        const between = drawn.filter((d) => d.layer % 2 === 1);
        assert.ok(between.length > 0 && between.every((d) => kinds.get(d.id) === 'Project'), 'a step between organisations that is no project');
        await state('path');

        // 4. Who is central? Betweenness on the real network, first answer within the bound.
        await page.click('#tab-rankings');
        const ms = await chooseTimed(page, 'BETWEENNESS');
        t.diagnostic(`${device}: betweenness shown ${Math.round(ms)} ms after choosing it`);
        assert.ok(ms < firstAnswerMs, `betweenness took ${Math.round(ms)} ms, bound ${firstAnswerMs} ms`);
        await page.locator('#rankings-result table.ranking tbody tr').first().waitFor();
        await state('rankings');

        // 5. Back and Forward move between the views.
        await page.goBack();
        await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'path');
        assert.equal(await page.locator('#tab-path').getAttribute('aria-selected'), 'true');
        await page.locator('#path-result .paths.shortest li').first().waitFor({ timeout: 60_000 });
        await page.goForward();
        await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'rankings');
        assert.equal(await page.locator('#tab-rankings').getAttribute('aria-selected'), 'true');

        // 6. The same in Polish.
        await page.click('button[data-lang="pl"]');
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'pl');
        assert.equal((await page.locator('#tab-rankings').innerText()).trim(), 'Rankingi');
        assert.equal((await page.locator('#tab-path').innerText()).trim(), 'Ścieżki');
        assert.equal((await page.locator('#tab-regions').innerText()).trim(), 'Regiony partnerskie');
        await page.locator('#rankings-result table.ranking tbody tr').first().waitFor();
        await state('pl-rankings');
        await page.click('#tab-regions');
        await page.locator('#regions-result:not([aria-busy])').waitFor({ timeout: 60_000 });
        await state('pl-regions');

        if (device === 'desktop') {
          // 7. Exports, parsed back.
          await page.click('button[data-lang="en"]');
          const inView = await page.evaluate(() => window.__coopgraph.nodes());
          const graphml = readFileSync(await download(page, '#export-graphml', device), 'utf8');
          const gexf = readFileSync(await download(page, '#export-gexf', device), 'utf8');
          const parsed = await page.evaluate(
            ({ graphml, gexf }) => {
              const p = new DOMParser();
              const a = p.parseFromString(graphml, 'application/xml');
              const b = p.parseFromString(gexf, 'application/xml');
              const ids = (doc, sel) => new Set([...doc.getElementsByTagName(sel)].map((n) => n.getAttribute('id')));
              const ends = (doc, sel) => [...doc.getElementsByTagName(sel)].flatMap((e) => [e.getAttribute('source'), e.getAttribute('target')]);
              const an = ids(a, 'node');
              const bn = ids(b, 'node');
              return {
                errors: a.getElementsByTagName('parsererror').length + b.getElementsByTagName('parsererror').length,
                graphmlNodes: an.size,
                gexfNodes: bn.size,
                graphmlEdges: a.getElementsByTagName('edge').length,
                danglingGraphml: ends(a, 'edge').filter((x) => !an.has(x)).length,
                danglingGexf: ends(b, 'edge').filter((x) => !bn.has(x)).length,
              };
            },
            { graphml, gexf },
          );
          assert.equal(parsed.errors, 0, 'an export is not well-formed XML');
          assert.equal(parsed.graphmlNodes, inView);
          assert.equal(parsed.gexfNodes, inView);
          assert.ok(parsed.graphmlEdges > 0);
          assert.equal(parsed.danglingGraphml + parsed.danglingGexf, 0, 'an exported relation ends outside the export');
          await page.click('#tab-rankings');
          const rankedRows = await page.locator('#rankings-result table.ranking tbody tr').count();
          const rankCsv = readFileSync(await download(page, '#export-rankings', device), 'utf8').trim().split(/\r?\n/);
          assert.equal(rankCsv[0], 'rank,id,name,kind,score');
          assert.equal(rankCsv.length - 1, rankedRows);
          assert.ok(rankCsv.slice(1).every((line) => /^\d+,/.test(line) && !/,,/.test(line)), 'a ranking row with an empty column');
          const png = pngText(readFileSync(await download(page, '#export-png', device)));
          assert.ok(png.Title, 'the PNG has no title');
          assert.match(png.Copyright ?? '', /CORDIS/);
          assert.ok(png['Creation Time'], 'the PNG has no date');
        }
        // What the page asked last is answered before the problems are read:
        // closing the context aborts what is still in flight.
        await page.waitForLoadState('networkidle');
        problems = g.problems();
      } catch (err) {
        await screenshot(page, `journey-${device}-failure`).catch(() => {});
        throw err;
      } finally {
        await g.context.close();
      }
      // The page aborts a question it no longer needs (a newer selection,
      // tab or measure asks another): that is no failure.
      assert.deepEqual(
        problems.filter((p) => !/^request failed: POST \S+\/graphql: net::ERR_ABORTED$/.test(p)),
        [],
        'the page had problems',
      );
    });
  }
});
