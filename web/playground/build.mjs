// Builds the playground into ../dist/playground, which is committed and
// embedded in the coopgraph binary (web/web.go), so that `go run` needs no
// Node. The output depends only on the sources and the locked packages
// (no timestamps, content-hashed asset names): check-dist.sh rebuilds it
// and fails when it differs from what is committed.
//
// GraphiQL's stylesheet carries its fonts and images as data: URLs, which a
// Content-Security-Policy of default-src 'self' refuses; they are written out
// as files next to the stylesheet instead.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
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
const out = outArg === -1 ? path.resolve(here, '../dist/playground') : path.resolve(process.argv[outArg + 1]);

// Extensions for the media types found in data: URLs; any other is an error
// so that nothing new slips through unnoticed.
const extensions = {
  'font/woff2': 'woff2',
  'font/woff': 'woff',
  'font/ttf': 'ttf',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
};

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { playground: 'src/main.jsx' },
  bundle: true,
  write: false,
  outdir: out,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  platform: 'browser',
  minify: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // The licences of the bundled packages go to licenses.txt (below).
  legalComments: 'none',
  banner: { js: '/*! coopgraph playground. Licences of the bundled packages: /playground/licenses.txt */' },
  metafile: true,
  charset: 'utf8',
  logLevel: 'warning',
});

await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, 'assets'), { recursive: true });

const assets = new Map(); // file name → bytes
const dataURL = /url\(\s*(["']?)data:([^;,"')]+)(;base64)?,([^"')]*)\1\s*\)/g;

function extract(css) {
  return css.replace(dataURL, (_, _quote, type, base64, data) => {
    const ext = extensions[type.toLowerCase()];
    if (!ext) {
      throw new Error(`build.mjs: a data: URL of type ${type} in the CSS; add its extension`);
    }
    const bytes = base64 ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
    const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${ext}`;
    assets.set(name, bytes);
    return `url(assets/${name})`;
  });
}

for (const file of result.outputFiles) {
  let contents = file.contents;
  if (file.path.endsWith('.css')) {
    const css = extract(file.text);
    if (/data:/.test(css)) {
      throw new Error('build.mjs: playground.css still holds a data: URL');
    }
    contents = Buffer.from(css, 'utf8');
  }
  await writeFile(file.path, contents);
}
for (const [name, bytes] of [...assets].sort(([a], [b]) => a.localeCompare(b))) {
  await writeFile(path.join(out, 'assets', name), bytes);
}
await copyFile(path.join(here, 'src/index.html'), path.join(out, 'index.html'));
await copyFile(path.join(here, 'src/favicon.svg'), path.join(out, 'favicon.svg'));

await writeFile(path.join(out, 'licenses.txt'), await licenses(here, result.metafile, 'The packages bundled into playground.js.'));

const files = result.outputFiles.map((f) => path.relative(out, f.path));
console.log(`build.mjs: wrote ${out}: index.html, favicon.svg, ${files.join(', ')} and ${assets.size} assets`);

