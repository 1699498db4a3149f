// Shared by web/page/build.mjs and web/playground/build.mjs.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

// licenses lists every package esbuild bundled (metafile, with inputs
// relative to dir) with its version, licence and licence text, in name
// order, under the title.
export async function licenses(dir, metafile, title) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  const parts = [];
  for (const pkgDir of dirs) {
    const pkg = JSON.parse(await readFile(path.join(dir, pkgDir, 'package.json'), 'utf8'));
    const files = (await readdir(path.join(dir, pkgDir))).filter((f) => /^(licen[cs]e|copying)/i.test(f)).sort();
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, pkgDir, f), 'utf8')));
    parts.push({ name: pkg.name, text: `${pkg.name}@${pkg.version} (${pkg.license ?? 'see its package'})\n\n${texts.join('\n').trim() || 'No licence file in the package.'}\n` });
  }
  parts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return `${title}\n\n${parts.map((p) => p.text).join('\n' + '-'.repeat(72) + '\n\n')}`;
}
