// The playground at /playground in headless chromium, offline: GraphiQL
// loads from coopgraph alone under its Content-Security-Policy, shows the
// example tabs of every audience, and runs queries through its editor
// against the real server. Any console error, page error, failed request or
// request leaving 127.0.0.1 fails the test. Screenshots: artifacts/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultTabs } from '../playground/src/examples.js';
import { guardedPage, launchChromium, repoRoot, screenshot, startCoopgraph } from './harness.mjs';

const queryEditor = '.graphiql-query-editor .CodeMirror';
const responseEditor = '.graphiql-response .CodeMirror';

// The operation name GraphiQL titles each example tab with.
const examples = defaultTabs.map((tab) => ({ ...tab, name: /\bquery\s+(\w+)/.exec(tab.query)[1] }));

let server;
let browser;
let data;

// The seed with a credit line of its own: the examples head their tabs
// with the served sources' credit lines.
const credit = 'Seed: © coopgraph test';

before(async () => {
  data = fs.mkdtempSync(path.join(os.tmpdir(), 'coopgraph-playground-'));
  const seed = path.join(repoRoot, 'data', 'seed');
  for (const f of fs.readdirSync(seed).filter((f) => f.endsWith('.yaml'))) fs.copyFileSync(path.join(seed, f), path.join(data, f));
  fs.writeFileSync(path.join(data, 'credit.yaml'), `credit: "${credit}"\n`);
  server = await startCoopgraph({ args: ['--data', data] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (data) fs.rmSync(data, { recursive: true, force: true });
});

// withPlayground opens /playground in a fresh browser context (so GraphiQL
// starts from its default tabs), runs fn, and then requires that nothing
// went wrong on the page. A failing test leaves NAME-failure.png.
async function withPlayground(name, fn) {
  const g = await guardedPage(browser);
  const introspected = g.page.waitForResponse((res) => isGraphQL(res) && /IntrospectionQuery/.test(res.request().postData()));
  try {
    const res = await g.page.goto(`${server.base}/playground`);
    assert.equal(res.status(), 200);
    // The bundle must run under this policy: a violation is a console error.
    assert.equal(res.headers()['content-security-policy'], "default-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    await g.page.waitForSelector(queryEditor);
    const schema = await introspected;
    assert.equal(schema.status(), 200);
    const body = await schema.json();
    assert.equal(body.errors, undefined, `introspection failed: ${JSON.stringify(body.errors)}`);
    assert.ok(body.data.__schema.types.some((t) => t.name === 'Entity'), 'introspection has no Entity type');
    await fn(g.page);
  } catch (err) {
    await screenshot(g.page, `${name}-failure`).catch(() => {});
    throw err;
  } finally {
    await g.context.close();
  }
  assert.deepEqual(g.problems(), [], 'the page had problems');
}

function isGraphQL(res) {
  return new URL(res.url()).pathname === '/graphql' && res.request().method() === 'POST';
}

// run clicks the execute button (or presses Ctrl-Enter) and returns the
// answer as the response pane shows it, parsed, once the server answered.
async function run(page, operationName, { keyboard = false } = {}) {
  const answered = page.waitForResponse(
    (res) => isGraphQL(res) && JSON.parse(res.request().postData()).operationName === operationName,
  );
  if (keyboard) {
    await page.click(queryEditor);
    await page.keyboard.press('Control+Enter');
  } else {
    await page.click('.graphiql-execute-button');
  }
  const res = await answered;
  assert.equal(res.status(), 200, `${operationName}: HTTP ${res.status()}`);
  const shown = await page.waitForFunction(
    (sel) => {
      const text = document.querySelector(sel)?.CodeMirror?.getValue() ?? '';
      try {
        return text.trim() ? JSON.parse(text) : false;
      } catch {
        return false; // still being written
      }
    },
    responseEditor,
  );
  return shown.jsonValue();
}

async function openTab(page, name) {
  await page.locator('.graphiql-tab-button', { hasText: new RegExp(`^${name}$`) }).click();
  await page.waitForFunction(
    ([sel, name]) => (document.querySelector(sel)?.CodeMirror?.getValue() ?? '').includes(`query ${name}`),
    [queryEditor, name],
  );
}

// Text of the response pane as a person sees it (CodeMirror draws the lines
// in view).
function responseText(page) {
  return page.locator('.graphiql-response').innerText();
}

describe('playground', () => {
  test('opens offline with the example tabs of every audience', async () => {
    await withPlayground('playground-start', async (page) => {
      const tabs = await page.locator('.graphiql-tab-button').allInnerTexts();
      assert.deepEqual(
        tabs.map((t) => t.trim()),
        examples.map((e) => e.name),
      );
      assert.ok(await page.locator('.graphiql-execute-button').isVisible());
      // GraphiQL's own fonts, served by coopgraph, are the ones in use.
      const fonts = await page.evaluate(async () => {
        await document.fonts.ready;
        return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family);
      });
      assert.ok(fonts.length > 0, 'no font loaded');
      await screenshot(page, 'playground-start');
    });
  });

  test('runs every example tab through the page', async () => {
    await withPlayground('playground-examples', async (page) => {
      const checked = [];
      for (const ex of examples) {
        await openTab(page, ex.name);
        const answer = await run(page, ex.name);
        assert.equal(answer.errors, undefined, `${ex.name}: ${JSON.stringify(answer.errors)}`);
        assert.ok(answer.data, `${ex.name}: no data`);
        for (const [field, value] of Object.entries(answer.data)) {
          assert.ok(value !== null && (!Array.isArray(value) || value.length > 0), `${ex.name}: ${field} is empty`);
        }
        checked.push(ex.name);
        switch (ex.name) {
          case 'Search':
            assert.equal(answer.data.search[0].id, 'malopolskie');
            assert.match(await responseText(page), /Województwo Małopolskie/);
            await screenshot(page, 'playground-search');
            break;
          case 'ShortestPath': {
            const path = answer.data.shortestPath;
            assert.equal(path.nodes[0].id, 'opolskie');
            assert.equal(path.nodes.at(-1).id, 'malopolskie');
            assert.equal(path.relations.length, path.length);
            assert.match(path.text, /Dom Polski Południowej/);
            assert.ok(path.relations.every((r) => r.document && r.quote), 'a hop without its source');
            await screenshot(page, 'playground-path');
            break;
          }
          case 'Centrality':
            assert.deepEqual(
              answer.data.centrality.map((s) => s.rank),
              [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            );
            assert.ok(answer.data.centrality.every((s) => s.entity.kind === 'Organisation'));
            break;
          case 'Sources': {
            // The tab is headed by the served sources' credit lines, as comments.
            assert.deepEqual(answer.data.credits, [credit]);
            assert.equal(answer.data.entity.id, 'malopolskie');
            assert.ok(Array.isArray(answer.data.entity.records));
            for (const other of [ex.name, 'Search']) {
              await openTab(page, other);
              const editor = await page.evaluate((sel) => document.querySelector(sel).CodeMirror.getValue(), queryEditor);
              assert.ok(editor.startsWith(`# Data: ${credit}\n`), `the ${other} tab starts ${JSON.stringify(editor.slice(0, 80))}`);
            }
            await openTab(page, ex.name);
            break;
          }
          case 'Introspection':
            assert.equal(answer.data.__type.name, 'Path');
            assert.ok(answer.data.__type.fields.every((f) => f.description), 'a field of Path without a description');
            break;
        }
      }
      // The answers checked in detail above are among the examples.
      for (const name of ['Search', 'ShortestPath', 'Centrality', 'Introspection']) {
        assert.ok(checked.includes(name), `no example named ${name}`);
      }
    });
  });

  test('runs a query typed into a new tab with Ctrl-Enter', async () => {
    await withPlayground('playground-typed', async (page) => {
      await page.click('.graphiql-tab-add');
      await page.waitForFunction((n) => document.querySelectorAll('.graphiql-tab').length === n, examples.length + 1);
      await page.click(queryEditor);
      await page.keyboard.press('Control+A');
      const query = 'query Typed {\n  entity(id: "opolskie") {\n    name\n    neighbours(first: 3) { id name }\n  }\n}\n';
      await page.keyboard.insertText(query);
      const typed = await page.evaluate((sel) => document.querySelector(sel).CodeMirror.getValue(), queryEditor);
      assert.equal(typed, query);
      const answer = await run(page, 'Typed', { keyboard: true });
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      assert.equal(answer.data.entity.name, 'Województwo Opolskie');
      assert.ok(answer.data.entity.neighbours.length > 0);
      assert.match(await responseText(page), /Województwo Opolskie/);
      await screenshot(page, 'playground-typed');
    });
  });

  test('documents the schema in the Docs pane', async () => {
    await withPlayground('playground-docs', async (page) => {
      await page.click('[aria-label="Show Documentation Explorer"]');
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByText('Query', { exact: true }).first().click();
      await docs.getByText('shortestPath', { exact: true }).first().waitFor();
      assert.match(await docs.innerText(), /A shortest path between two entities/);
      await screenshot(page, 'playground-docs');
    });
  });
});
