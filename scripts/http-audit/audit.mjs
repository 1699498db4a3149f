// The GraphQL-over-HTTP server audits of graphql-http (the reference
// implementation of the spec) against a real `coopgraph serve`: every
// audit printed as MUST/SHOULD/MAY, ok or failing with its reason, then a
// count per level. Exits 1 if any MUST or SHOULD audit fails (a failing MAY
// is printed, not fatal), 2 if the server could not be started.
//
//   npm ci && node audit.mjs                    # builds and serves the seed
//   node audit.mjs --url http://host:8080/graphql   # audits a running server
//   COOPGRAPH_BIN=/path/coopgraph node audit.mjs    # serves with this binary
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverAudits } from 'graphql-http';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

// binary returns COOPGRAPH_BIN, or builds cmd/coopgraph from this work tree
// into a temporary folder removed at exit.
function binary() {
  if (process.env.COOPGRAPH_BIN) return process.env.COOPGRAPH_BIN;
  const dir = mkdtempSync(path.join(tmpdir(), 'coopgraph-audit-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'coopgraph');
  execFileSync('go', ['build', '-o', bin, './cmd/coopgraph'], { cwd: repoRoot, stdio: 'inherit' });
  return bin;
}

// serve starts `coopgraph serve` on the seed (data/seed) on a port the
// system picks, and resolves to its base URL and a stop function once
// /healthz answers. NEO4J_* variables are dropped so that the embedded
// store serves, as in the browser tests (web/e2e/harness.mjs).
async function serve(timeoutMs = 60_000) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('NEO4J_') && k !== 'COOPGRAPH_ADDR'),
  );
  const child = spawn(binary(), ['serve', '--addr', '127.0.0.1:0', '--data', path.join(repoRoot, 'data', 'seed')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
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
    exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`coopgraph serve exited (${how}) before listening:\n${output}`));
    });
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not accepting connections yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${base}/healthz not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop };
}

// audit runs every server audit one after another (the server's in-flight
// limit is not what is audited) and returns the results in order.
async function audit(url) {
  const results = [];
  for (const { id, name, fn } of serverAudits({ url })) {
    try {
      results.push(await fn());
    } catch (err) {
      // graphql-http throws only when an audit cannot run at all.
      results.push({ id, name, status: 'error', reason: `the audit could not run: ${err.message}` });
    }
  }
  return results;
}

// report prints each result and the counts; it returns how many MUST or
// SHOULD audits failed.
function report(results) {
  const levels = { MUST: { ok: 0, all: 0 }, SHOULD: { ok: 0, all: 0 }, MAY: { ok: 0, all: 0 } };
  let fatal = 0;
  for (const r of results) {
    const level = r.name.split(' ', 1)[0];
    levels[level].all++;
    if (r.status === 'ok') {
      levels[level].ok++;
      console.log(`ok    ${r.name}`);
      continue;
    }
    if (level !== 'MAY') fatal++;
    console.log(`FAIL  ${r.name} [${r.id}]\n      ${r.reason.replace(/\n/g, '\n      ')}`);
  }
  console.log(
    `\ngraphql-http server audits: ${Object.entries(levels)
      .map(([level, { ok, all }]) => `${ok}/${all} ${level}`)
      .join(', ')}`,
  );
  return fatal;
}

const at = process.argv.indexOf('--url');
let server;
try {
  let url;
  if (at >= 0 && process.argv[at + 1]) {
    url = process.argv[at + 1];
  } else {
    server = await serve();
    url = `${server.base}/graphql`;
  }
  console.log(`auditing ${url}\n`);
  const fatal = report(await audit(url));
  process.exitCode = fatal ? 1 : 0;
  if (fatal) console.log(`${fatal} MUST or SHOULD audit(s) failed`);
} catch (err) {
  console.error(err.message);
  process.exitCode = 2;
} finally {
  await server?.stop();
}
