// The rankings tab on the built-in linked network (111,204 entities), in
// headless chromium: betweenness is shown within a second as the server's
// certified approximation, said so with its bound, while the exact ranking
// is computed in the background; the page asks about its progress with
// backoff only while it is looked at. Closeness, which the server cannot
// answer before its exact ranking is computed, is waited for and shown
// when ready. axe-core finds no accessibility violation in these states.
// Screenshots: artifacts/rankings-*.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCoopgraph, screenshot } from './harness.mjs';
import { asks, chooseTimed, firstAnswerMs, noViolations, polls, useBrowser, withPage } from './rankings-helpers.mjs';

useBrowser();

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
      // The page opens with Małopolska's details: wait for the entity's.
      await page.locator('#details-name', { hasText: name }).waitFor();
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
