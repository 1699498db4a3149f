// The machinery of coopgraph's browser tests, shared by every *.test.mjs:
// a served coopgraph on 127.0.0.1 and Debian's chromium driven by
// playwright-core (never a browser download), with a guard that fails the
// test on any console error, page error, failed local request or request
// leaving 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const artifacts = path.join(here, 'artifacts');

// The flags that keep Debian's chromium from reaching out on its own (this
// machine's network is closed; CI's too) and let it run as root.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let built; // the binary built for this test process, removed at exit

// coopgraphBinary returns COOPGRAPH_BIN, or builds cmd/coopgraph from this
// work tree once per test process.
export function coopgraphBinary() {
  if (process.env.COOPGRAPH_BIN) return process.env.COOPGRAPH_BIN;
  if (built) return built;
  const dir = mkdtempSync(path.join(tmpdir(), 'coopgraph-e2e-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'coopgraph');
  execFileSync('go', ['build', '-o', bin, './cmd/coopgraph'], { cwd: repoRoot, stdio: 'inherit' });
  built = bin;
  return bin;
}

// startCoopgraph starts `coopgraph serve` on a port the system picks and
// resolves once /healthz answers. The embedded store serves the seed dataset
// (data/seed, whose answers the tests know) unless args name --data, or
// builtin asks for the default, built-in linked network (111,204
// entities): NEO4J_* variables are dropped, since the Neo4j tests of other
// packages wipe their database whenever they run.
export async function startCoopgraph({ args = [], timeoutMs = 60_000, builtin = false } = {}) {
  if (!builtin && !args.includes('--data')) args = [...args, '--data', path.join(here, '..', '..', 'data', 'seed')];
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('NEO4J_') && k !== 'COOPGRAPH_ADDR'),
  );
  const child = spawn(coopgraphBinary(), ['serve', '--addr', '127.0.0.1:0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  // serve prints the address it listens on ("open http://127.0.0.1:PORT/").
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coopgraph serve printed no address within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const m = /http:\/\/(127\.0\.0\.1:\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`coopgraph serve exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not accepting connections yet
    }
    if (Date.now() > deadline) throw new Error(`${base}/healthz not ready within ${timeoutMs} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    base,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// launchChromium starts Debian's chromium headless with a fresh profile.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
}

// guardedPage opens a page in a new context whose every request to a host
// other than 127.0.0.1 is aborted and recorded, and records console errors,
// page errors and failed local requests. problems() lists them all; a test
// asserts it is empty.
export async function guardedPage(browser, { viewport = { width: 1440, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  const offsite = [];
  const errors = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).hostname === '127.0.0.1') return route.continue();
    offsite.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console error: ${msg.text()} (${msg.location().url || 'page'})`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.stack || err.message}`));
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).hostname !== '127.0.0.1') offsite.push(ws.url());
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    if (!offsite.includes(req.url())) errors.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  return {
    context,
    page,
    offsite,
    errors,
    problems: () => [...offsite.map((u) => `request leaving 127.0.0.1: ${u}`), ...errors],
  };
}

// screenshot saves the page as artifacts/NAME.png and returns the path.
export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

// graphql asks server's API directly (the tests' oracle) and returns the
// answer's data, failing the test on any error in it.
export async function graphql(server, query, variables = {}) {
  const res = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

// pick types text into a search box (a combobox) and chooses the
// suggestion of id.
export async function pick(page, input, text, id, { timeout = 30_000 } = {}) {
  await page.fill(input, '');
  await page.locator(input).pressSequentially(text, { delay: 20 });
  const list = `#${await page.locator(input).getAttribute('aria-controls')}`;
  const option = page.locator(`${list} li[data-id="${id}"]`);
  await option.waitFor({ timeout });
  await option.click();
}
