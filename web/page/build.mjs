// Builds the visualisation page into ../dist/page, which is committed and
// embedded in the coopgraph binary (web/page.go), so that `go run` needs no
// Node. The output depends only on the sources and the locked packages (no
// timestamps; the script and stylesheet are named by a hash of their
// content, so browsers may cache them for good): check-dist.sh rebuilds it
// and fails when it differs from what is committed.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { licenses } from '../licenses.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// --out DIR builds elsewhere (check-dist.sh compares such a build with the
// committed one); the default is the committed directory.
const outArg = process.argv.indexOf('--out');
if (outArg !== -1 && !process.argv[outArg + 1]) {
  throw new Error('build.mjs: --out needs a directory');
}
const out = outArg === -1 ? path.resolve(here, '../dist/page') : path.resolve(process.argv[outArg + 1]);
// Where coopgraph serves the files (web.PageAssetsPath).
const prefix = '/app';

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { page: 'src/main.js' },
  bundle: true,
  write: false,
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  platform: 'browser',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  // The licences of the bundled packages go to licenses.txt (below).
  legalComments: 'none',
  banner: { js: `/*! coopgraph page. Licences of the bundled packages: ${prefix}/licenses.txt */` },
  metafile: true,
  charset: 'utf8',
  logLevel: 'warning',
});

await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, 'assets'), { recursive: true });

const names = {}; // "page.js" → "assets/page-HASH.js"
for (const file of result.outputFiles) {
  const rel = path.relative(out, file.path);
  if (/data:/.test(file.text) && file.path.endsWith('.css')) {
    throw new Error('build.mjs: the stylesheet holds a data: URL, which the Content-Security-Policy refuses');
  }
  names[path.basename(rel).replace(/-[A-Z0-9]+\./, '.')] = rel;
  await writeFile(file.path, file.contents);
}
for (const want of ['page.js', 'page.css']) {
  if (!names[want]) throw new Error(`build.mjs: esbuild wrote no ${want}`);
}

// The page names its files by their hashed names.
let html = await readFile(path.join(here, 'src/index.html'), 'utf8');
html = html.replace(/\{\{(page\.(?:js|css))\}\}/g, (_, name) => `${prefix}/${names[name]}`);
if (/\{\{/.test(html)) throw new Error('build.mjs: src/index.html names a file the build did not write');
await writeFile(path.join(out, 'index.html'), html);
await copyFile(path.join(here, 'src/favicon.svg'), path.join(out, 'favicon.svg'));
await writeFile(path.join(out, 'licenses.txt'), await licenses(here, result.metafile, 'The packages bundled into the coopgraph page.'));

console.log(`build.mjs: wrote ${out}: index.html, favicon.svg, licenses.txt, ${Object.values(names).sort().join(', ')}`);

