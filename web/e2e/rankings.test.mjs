// The rankings tab on networks where an exact ranking takes the server
// long, in headless chromium: on the built-in linked network (111,204
// entities) betweenness is shown within a second as the server's certified
// approximation, said so with its bound, while the exact ranking is
// computed in the background; on a generated network of 19,680 entities,
// where the server finishes that computation within minutes, the table
// then updates itself to the exact ranking and stops asking. A slow answer
// says what the page waits for and can be cancelled; an error shows the
// server's message, code and hint. axe-core finds no accessibility
// violation in any of these states. Screenshots: artifacts/rankings-*.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { coopgraphBinary, guardedPage, launchChromium, screenshot, startCoopgraph } from './harness.mjs';

// The bound on the first answer, from choosing the measure to the
// approximate ranking on the page. COOPGRAPH_E2E_FIRST_ANSWER_MS raises it
// on a machine known to be slower than the 2 cores the bound is set for;
// the figure measured is printed either way.
const firstAnswerMs = Number(process.env.COOPGRAPH_E2E_FIRST_ANSWER_MS) || 1000;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

// recordRankings lists the page's PageRanking requests as they are sent:
// {at (ms since the list began), withRanking, measure}. A request with
// withRanking false is a poll of the server's progress.
function recordRankings(page) {
  const sent = [];
  const t0 = Date.now();
  page.on('request', (req) => {
    if (new URL(req.url()).pathname !== '/graphql' || req.method() !== 'POST') return;
    const body = JSON.parse(req.postData());
    if (body.operationName === 'PageRanking') sent.push({ at: Date.now() - t0, withRanking: body.variables.withRanking, measure: body.variables.measure });
  });
  return sent;
}

// withPage opens the page at query in a fresh context, waits until it has
// restored its view, runs fn(page, sent) and then requires that nothing
// went wrong on the page but what expected (a RegExp) matches.
async function withPage(server, name, fn, { query = '', expected = null } = {}) {
  const g = await guardedPage(browser);
  const sent = recordRankings(g.page);
  try {
    const res = await g.page.goto(`${server.base}/${query}`);
    assert.equal(res.status(), 200);
    await g.page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 120_000 });
    assert.equal(await g.page.evaluate(() => document.body.dataset.ready), 'true', await g.page.locator('#error').innerText());
    await fn(g.page, sent);
  } catch (err) {
    await screenshot(g.page, `${name}-failure`).catch(() => {});
    throw err;
  } finally {
    await g.context.close();
  }
  assert.deepEqual(
    g.problems().filter((p) => !expected?.test(p)),
    [],
    'the page had problems',
  );
}

// noViolations runs axe-core on the page as it is and requires no
// violation of the WCAG rules it checks.
async function noViolations(page, state) {
  // Through the DevTools protocol: the page's CSP refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe-core in ${state}`);
}

// chooseTimed chooses measure in the rankings' select and returns the
// milliseconds, measured in the page, until a note that the ranking is
// approximate (#rank-approx) or its table appeared.
async function chooseTimed(page, measure) {
  await page.evaluate(() => {
    const sel = document.getElementById('rank-measure');
    window.__shown = new Promise((resolve) => {
      sel.addEventListener(
        'change',
        () => {
          const chosen = performance.now();
          const seen = () => document.getElementById('rank-approx') || document.querySelector('#rankings-result table.ranking caption')?.textContent.includes(sel.selectedOptions[0].textContent);
          const obs = new MutationObserver(() => {
            if (!seen()) return;
            obs.disconnect();
            resolve(performance.now() - chosen);
          });
          obs.observe(document.getElementById('pane-rankings'), { childList: true, subtree: true, characterData: true });
        },
        { once: true },
      );
    });
  });
  await page.selectOption('#rank-measure', measure);
  return page.evaluate(() => window.__shown);
}

const polls = (sent) => sent.filter((r) => !r.withRanking);
const asks = (sent) => sent.filter((r) => r.withRanking);

// Both tests at once, on one server started for them: the closeness one
// must ask before the server has computed closeness.
describe('rankings on the built-in linked network', { concurrency: true }, () => {
  let server;
  before(async () => {
    // A request time limit of 10 s rather than 30: a ranking the server
    // cannot answer at once is refused soon (UNAVAILABLE), as it would be
    // after 30 s.
    server = await startCoopgraph({ builtin: true, args: ['--request-timeout', '10s'], timeoutMs: 180_000 });
  });
  after(async () => {
    await server?.stop();
  });

  // Closeness has, when this is written, no approximation: the server
  // refuses it until its exact ranking is computed (44 s after start on a
  // quiet 2-core machine). With one, the page shows it at once. Either way
  // the page says what it waits for and shows the exact ranking when ready.
  test('a ranking the server is still computing is waited for, said so, and shown when ready', async (t) => {
    await withPage(
      server,
      'rankings-waiting',
      async (page) => {
        const before = page.locator('#rankings-status .waiting, #rank-approx');
        await before.first().waitFor({ timeout: 30_000 });
        assert.equal(await page.locator('#rankings-status .problem').count(), 0, 'a bare error');
        const waiting = await page.locator('#rankings-status .waiting').count();
        t.diagnostic(waiting ? 'closeness refused in time: the page waits for it' : 'closeness answered approximately');
        if (waiting) {
          const text = await page.locator('#rankings-status .waiting').innerText();
          assert.match(text, /no answer within the request time limit of 10s.*\(error UNAVAILABLE\)/);
          assert.match(text, /The server is still computing the exact ranking by Closeness in the background: this tab will show it as soon as it is ready\./);
        }
        await noViolations(page, 'waiting for the exact closeness');
        await screenshot(page, 'rankings-waiting');
        const started = Date.now();
        await page.locator('#rankings-status .updated').waitFor({ timeout: 270_000 });
        t.diagnostic(`exact closeness on the page ${((Date.now() - started) / 1000).toFixed(0)} s later`);
        assert.match(await page.locator('table.ranking caption').innerText(), /^Top 50 of 111,204 by Closeness$/);
        assert.equal(await page.locator('#rank-approx').count(), 0);
      },
      { query: '?lang=en&tab=rankings&rankmeasure=CLOSENESS', expected: /HTTP 503 for POST .*\/graphql|status of 503 \(Service Unavailable\)/ },
    );
  });

  test('betweenness is shown within a second as a certified approximation, says so, and keeps asking about the exact one only while looked at', async (t) => {
    await withPage(server, 'rankings-linked', async (page, sent) => {
      await page.click('#tab-rankings');
      await page.locator('table.ranking tbody tr').first().waitFor();
      assert.equal(await page.locator('#rank-approx').count(), 0, 'degree is exact, yet said to be approximate');
      assert.match(await page.locator('#rank-about').innerText(), /What it measures: How many direct partners/);

      const ms = await chooseTimed(page, 'BETWEENNESS');
      // How much of it the server took (its answer's resource timing).
      const server = await page.evaluate(() => {
        const r = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/graphql')).at(-1);
        return r ? r.responseEnd - r.requestStart : NaN;
      });
      t.diagnostic(`approximate betweenness on the page ${ms.toFixed(0)} ms after choosing it, ${server.toFixed(0)} ms of it the request`);
      const note = page.locator('#rank-approx');
      assert.ok(await note.isVisible(), 'the first betweenness answer was exact: the server had finished the exact ranking already');
      assert.ok(ms < firstAnswerMs, `the approximate ranking took ${ms.toFixed(0)} ms to show (${server.toFixed(0)} ms of it the request), more than ${firstAnswerMs} ms`);
      const text = await note.innerText();
      assert.match(text, /Approximate: every score within ±0\.05 \(probability ≥ 0\.9\); the exact ranking is being computed\./);
      assert.match(text, /update itself/);
      assert.match(await page.locator('table.ranking caption').innerText(), /^Top 50 of 111,204 by Betweenness$/);
      assert.equal(await page.locator('table.ranking thead th').last().innerText(), 'Score ± 0.05');
      assert.match(await page.locator('table.ranking tbody tr td').nth(3).innerText(), /^0\.\d{4} ± 0\.05$/);
      assert.match(await page.locator('#rank-about').innerText(), /shortest routes between others/);
      // The graph keeps its size: choosing a ranking is not choosing a size.
      assert.equal(await page.inputValue('#measure'), 'DEGREE');
      assert.match(page.url(), /rankmeasure=BETWEENNESS/);
      assert.doesNotMatch(page.url(), /[?&]measure=/);
      assert.equal(await page.locator('#rank-size').innerText(), 'Size the graph by Betweenness');
      await noViolations(page, 'the approximate ranking');
      await screenshot(page, 'rankings-linked-approximate');

      // While the tab is open the page asks about the progress, less and
      // less often, and does not ask for the ranking again.
      const asked = asks(sent).length;
      await new Promise((r) => setTimeout(r, 9000));
      const p = polls(sent);
      assert.ok(p.length >= 2 && p.length <= 5, `${p.length} progress polls in 9 s: ${JSON.stringify(p)}`);
      for (let i = 2; i < p.length; i++) assert.ok(p[i].at - p[i - 1].at > p[i - 1].at - p[i - 2].at - 300, `polls not backing off: ${JSON.stringify(p)}`);
      assert.equal(asks(sent).length, asked, 'the page asked for the ranking again while polling');
      assert.match(await page.locator('#rank-approx .checked').innerText(), /^Last asked the server at \d\d:\d\d:\d\d: not ready yet\.$/);

      // Polish: the same note, no new request.
      await page.click('[data-lang="pl"]');
      assert.match(await note.innerText(), /Przybliżenie: każdy wynik z dokładnością ±0,05 \(z prawdopodobieństwem ≥ 0,9\); dokładny ranking jest w trakcie obliczania\./);
      assert.match(await page.locator('table.ranking caption').innerText(), /^Pierwszych 50 z 111\s204 według miary: Pośrednictwo$/);
      assert.equal(asks(sent).length, asked, 'switching the language asked for the ranking again');
      await noViolations(page, 'the approximate ranking in Polish');
      await screenshot(page, 'rankings-linked-approximate-pl');

      // A hidden page (another browser tab) asks nothing; shown again, it
      // asks at once.
      const setVisibility = (state) =>
        page.evaluate((state) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await setVisibility('hidden');
      const hidden = polls(sent).length;
      await new Promise((r) => setTimeout(r, 6000));
      assert.equal(polls(sent).length, hidden, 'the page polled while hidden');
      await setVisibility('visible');
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(polls(sent).length, hidden + 1, 'no poll at once when shown again');

      // A click on a ranked entity opens its details; the page stops asking.
      const top = page.locator('table.ranking tbody tr').first().locator('button[data-id]');
      const name = (await top.innerText()).trim();
      await top.click();
      await page.locator('#details-name').waitFor();
      assert.equal((await page.locator('#details-name').innerText()).trim(), name);
      assert.equal(await page.locator('#tab-details').getAttribute('aria-selected'), 'true');
      const left = polls(sent).length;
      await new Promise((r) => setTimeout(r, 6000));
      assert.equal(polls(sent).length, left, 'the page kept polling after leaving the rankings');

      // Back on the tab the kept ranking shows at once, and polling resumes.
      await page.click('#tab-rankings');
      assert.ok(await note.isVisible());
      assert.equal(asks(sent).length, asked, 'coming back asked for the ranking again');
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(polls(sent).length > left, 'no progress poll after coming back');
    });
  });
});

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
