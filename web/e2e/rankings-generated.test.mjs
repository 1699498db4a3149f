// The rankings tab on a generated network of 19,680 entities, where the
// server computes the exact betweenness in the background within minutes,
// in headless chromium: the approximate table updates itself to the exact
// one and the page stops asking; a slow answer says what the page waits
// for and can be cancelled; an error shows the server's message, code and
// hint. axe-core finds no accessibility violation in these states.
// Screenshots: artifacts/rankings-*.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { coopgraphBinary, screenshot, startCoopgraph } from './harness.mjs';
import { noViolations, polls, useBrowser, withPage } from './rankings-helpers.mjs';

useBrowser();

describe('rankings on a generated network whose exact betweenness arrives in minutes', () => {
  let server;
  let dir;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'coopgraph-rankings-'));
    // 19,680 entities: above the server's 5,000 for approximate answers,
    // and small enough for its exact betweenness in the background.
    execFileSync(coopgraphBinary(), ['gen', '--participations', '40000', '--seed', '1', '--out', dir], { stdio: 'pipe' });
    server = await startCoopgraph({ args: ['--data', dir] });
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the approximate betweenness updates itself to the exact one, then the page stops asking', async (t) => {
    await withPage(
      server,
      'rankings-update',
      async (page, sent) => {
        await page.locator('#rank-approx').waitFor({ timeout: 30_000 }).catch(() => {
          throw new Error('no approximate betweenness: the server finished the exact one before the page asked; use a larger generated network');
        });
        assert.match(await page.locator('#rank-approx').innerText(), /±0\.05/);
        const started = Date.now();
        const updated = page.locator('#rankings-status .updated');
        await updated.waitFor({ timeout: 280_000 - 30_000 });
        t.diagnostic(`exact betweenness on the page ${((Date.now() - started) / 1000).toFixed(0)} s after the approximation, after ${polls(sent).length} progress polls`);
        assert.match(await updated.innerText(), /^Updated at \d\d:\d\d:\d\d: this is now the exact ranking\.$/);
        assert.equal(await page.locator('#rank-approx').count(), 0);
        assert.equal(await page.locator('table.ranking thead th').last().innerText(), 'Score');
        assert.equal(await page.locator('table.ranking .pm').count(), 0, 'an exact score shown with a ±');
        // The exact table is the server's exact ranking.
        const shown = await page.locator('table.ranking tbody button[data-id]').evaluateAll((bs) => bs.slice(0, 10).map((b) => b.dataset.id));
        const exact = await page.evaluate(async () => {
          const res = await fetch('/graphql', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ query: '{ centralityConnection(measure: BETWEENNESS, first: 10, exact: true) { exact edges { node { entity { id } } } } }' }),
          });
          return (await res.json()).data.centralityConnection;
        });
        assert.equal(exact.exact, true);
        assert.deepEqual(shown, exact.edges.map((e) => e.node.entity.id));
        await noViolations(page, 'the ranking updated to the exact one');
        await screenshot(page, 'rankings-updated');
        const n = sent.length;
        await new Promise((r) => setTimeout(r, 5000));
        assert.equal(sent.length, n, 'the page kept asking once the ranking was exact');
      },
      { query: '?lang=en&tab=rankings&rankmeasure=BETWEENNESS' },
    );
  });

  test('a slow answer says what the page waits for, and Cancel abandons it', async () => {
    await withPage(
      server,
      'rankings-slow',
      async (page) => {
        // The server answers PageRank at once: hold its answer 4 s.
        await page.route('**/graphql', async (route) => {
          const body = JSON.parse(route.request().postData());
          if (body.operationName === 'PageRanking' && body.variables.withRanking && body.variables.measure === 'PAGERANK') {
            await new Promise((r) => setTimeout(r, 4000));
          }
          await route.continue().catch(() => {}); // cancelled meanwhile
        });
        await page.locator('table.ranking tbody tr').first().waitFor();
        await page.selectOption('#rank-measure', 'PAGERANK');
        const work = page.locator('#rankings-status .working');
        await work.waitFor({ timeout: 3000 });
        assert.match(await work.innerText(), /The server is computing the ranking by PageRank over 19,680 entities: on a large network this can take a while\./);
        await page.waitForFunction(() => /Waiting \d+ seconds? so far/.test(document.querySelector('#rankings-status .elapsed')?.textContent ?? ''));
        assert.equal(await page.locator('table.ranking').count(), 0, 'the ranking by degree stayed under the name of PageRank');
        await noViolations(page, 'a ranking being computed');
        await screenshot(page, 'rankings-working');
        await page.click('#rank-cancel');
        const cancelled = page.locator('#rankings-status .note');
        assert.match(await cancelled.innerText(), /Cancelled: the ranking by PageRank was not shown\./);
        await page.unroute('**/graphql');
        await page.click('#rankings-status button');
        await page.waitForFunction(() => /by PageRank/.test(document.querySelector('table.ranking caption')?.textContent ?? ''));
        assert.equal(await page.locator('#rankings-status').innerText(), '');

        // Sizing the graph by a measure the server takes long to give
        // says so in the status line too, and can be cancelled.
        await page.click('table.ranking tbody button[data-id]');
        await page.locator('#details-name').waitFor();
        await page.route('**/graphql', async (route) => {
          if (JSON.parse(route.request().postData()).operationName === 'PageScores') await new Promise((r) => setTimeout(r, 20_000));
          await route.continue().catch(() => {});
        });
        await page.selectOption('#measure', 'HARMONIC');
        const busy = page.locator('#busy .busy-job');
        await busy.waitFor({ timeout: 3000 });
        assert.match(await busy.innerText(), /Sizing the entities in view by Harmonic closeness: this can take a while\.\s+\(\d+ seconds? so far\)/);
        await noViolations(page, 'sizing being computed');
        await busy.locator('button').click();
        await page.locator('#busy').waitFor({ state: 'hidden' });
        assert.equal(await page.locator('#error').isVisible(), false, 'cancelling showed an error');
        await page.unroute('**/graphql');
      },
      // The cancelled request is aborted by the page, on purpose.
      { query: '?lang=en&tab=rankings', expected: /ERR_ABORTED/ },
    );
  });

  test('an error shows the server’s message, its code and what to do, not “Something went wrong”', async () => {
    await withPage(
      server,
      'rankings-error',
      async (page) => {
        // The server's answer to a request that ran out of time
        // (server/middleware.go): 503, UNAVAILABLE, Retry-After.
        let refused = 0;
        await page.route('**/graphql', async (route) => {
          const body = JSON.parse(route.request().postData());
          if (body.operationName === 'PageRanking' && body.variables.withRanking && refused++ === 0) {
            return route.fulfill({
              status: 503,
              headers: { 'Content-Type': 'application/json', 'Retry-After': '5' },
              body: JSON.stringify({ errors: [{ message: 'no answer within the request time limit of 30s: ask for less (fewer results, fewer hops) or try again later', extensions: { code: 'UNAVAILABLE' } }] }),
            });
          }
          return route.continue();
        });
        await page.locator('table.ranking tbody tr').first().waitFor();
        await page.selectOption('#rank-measure', 'EIGENVECTOR');
        const problem = page.locator('#rankings-status .problem');
        await problem.waitFor();
        const text = await problem.innerText();
        assert.match(text, /no answer within the request time limit of 30s: ask for less \(fewer results, fewer hops\) or try again later \(error UNAVAILABLE\)/);
        assert.match(text, /try again in a moment, or ask for less/);
        assert.match(text, /The server suggests trying again in 5 seconds\./);
        assert.doesNotMatch(text, /Something went wrong/);
        await noViolations(page, 'a refused ranking');
        await screenshot(page, 'rankings-error');
        await page.click('#rankings-status button');
        await page.waitForFunction(() => /by Eigenvector/.test(document.querySelector('table.ranking caption')?.textContent ?? ''));
      },
      // The refused request is logged by chromium and the guard alike.
      { query: '?lang=en&tab=rankings', expected: /HTTP 503 for POST .*\/graphql|status of 503 \(Service Unavailable\)/ },
    );
  });
});
