// What the rankings browser tests share (rankings-linked.test.mjs,
// rankings-generated.test.mjs): a browser, a guarded page that records the
// page's PageRanking requests, axe-core, and timing a measure's first
// answer in the page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { guardedPage, launchChromium, screenshot } from './harness.mjs';

// The bound on the first answer, from choosing the measure to the
// approximate ranking on the page. COOPGRAPH_E2E_FIRST_ANSWER_MS raises it
// on a machine known to be slower than the 2 cores the bound is set for;
// the figure measured is printed either way.
export const firstAnswerMs = Number(process.env.COOPGRAPH_E2E_FIRST_ANSWER_MS) || 1000;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;

// useBrowser starts chromium before the file's tests and closes it after.
export function useBrowser() {
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
}

// recordRankings lists the page's PageRanking requests as they are sent:
// {at (ms since the list began), withRanking, measure}. A request with
// withRanking false is a poll of the server's progress.
export function recordRankings(page) {
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
// went wrong on the page but what expected (a RegExp) matches. viewport
// (width, height) is the window's size when not the harness's 1440×900.
export async function withPage(server, name, fn, { query = '', expected = null, viewport = undefined } = {}) {
  const g = await guardedPage(browser, { viewport });
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
export async function noViolations(page, state) {
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
export async function chooseTimed(page, measure) {
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

export const polls = (sent) => sent.filter((r) => !r.withRanking);
export const asks = (sent) => sent.filter((r) => r.withRanking);
