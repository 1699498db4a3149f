// The camera, the labels, the legend, the phone layout and the PNG export
// (issue 17) on the built-in linked network (111,204 entities), in headless
// chromium: what the user asked for (an expansion, a selection, a path) is
// brought inside the graph; the label density (few, some, all) changes how
// many labels are drawn and comes back from the URL; no label is drawn
// under the legend, which opens and closes and keeps to its corner; at
// 390×844 the graph takes most of the screen and nothing overflows; the
// PNG has a title strip, the legend, the date and the sources' credit
// lines, drawn and in its text chunks; the list's CSV has a community for
// each entity while colouring by kind. axe-core finds no violation in each
// state. Screenshots: artifacts/camera-*.
//
// It reads the graph through window.__coopgraph (web/page/src/main.js):
// moving() (the camera is animating), positions(ids) (where entities are
// in the graph's pixels), labels() (the boxes of the labels the last frame
// drew) and highlighted() (the entities of the path shown).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { artifacts, guardedPage, launchChromium, screenshot, startCoopgraph } from './harness.mjs';
import { noViolations } from './rankings-helpers.mjs';

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

let server;
let browser;
let credits; // the credit lines the served network asks for

before(async () => {
  server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
  browser = await launchChromium();
  const res = await fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ credits }' }) });
  credits = (await res.json()).data.credits;
  assert.ok(credits.length > 0, 'the linked network asks for no credit');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// open loads the page at query and waits until it has restored its view;
// fn(page) runs, then nothing may have gone wrong on the page.
async function open(name, query, fn, { viewport = desktop } = {}) {
  const g = await guardedPage(browser, { viewport });
  try {
    const res = await g.page.goto(`${server.base}/${query}`);
    assert.equal(res.status(), 200);
    await g.page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 180_000 });
    assert.equal(await g.page.evaluate(() => document.body.dataset.ready), 'true', await g.page.locator('#error').innerText());
    await fn(g.page);
    assert.ok(await g.page.locator('#error').isHidden(), await g.page.locator('#error').innerText());
  } catch (err) {
    await screenshot(g.page, `${name}-failure`).catch(() => {});
    throw err;
  } finally {
    await g.context.close();
  }
  assert.deepEqual(g.problems(), [], 'the page had problems');
}

// still waits until the camera has stopped and a frame was drawn after.
async function still(page) {
  await page.waitForFunction(() => !window.__coopgraph.moving());
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// outside lists the entities of ids in view whose centre is not inside the
// graph, and how many of ids are in view.
async function outside(page, ids) {
  await still(page);
  const p = await page.evaluate((ids) => window.__coopgraph.positions(ids), ids);
  const at = Object.entries(p.at);
  return { shown: at.length, out: at.filter(([, q]) => !(q.x >= 0 && q.x <= p.width && q.y >= 0 && q.y <= p.height)).map(([id]) => id) };
}

// lookAway zooms in far and pans off, as a user may before asking.
async function lookAway(page) {
  await page.focus('#graph');
  // Each key moves the camera from where it is: one at a time.
  for (const key of [...Array(6).fill('+'), ...Array(12).fill('ArrowRight')]) {
    await page.keyboard.press(key);
    await still(page);
  }
}

const inViewIds = (page) => page.evaluate(() => [...document.querySelectorAll('#list-body button[data-id]')].map((b) => b.dataset.id));

// Entities of the status line "Showing N of …".
const showing = (page) => page.evaluate(() => Number(/Showing ([\d,]+) of/.exec(document.getElementById('status').textContent)?.[1].replace(/,/g, '') ?? 0));

describe('camera, labels, legend, phone layout and PNG on the linked network', () => {
  test('an expansion, a selection and a found path are brought inside the graph', async () => {
    await open('camera-follow', '?lang=en&sel=malopolskie', async (page) => {
      assert.equal(await showing(page), 1);
      await lookAway(page);
      assert.equal((await outside(page, ['malopolskie'])).out.length, 1, 'looking away left Małopolska on screen: the test proves nothing');

      // Expansion: Małopolska and its new neighbours all come into view.
      await page.click('#expand');
      await page.waitForFunction(() => Number(/Showing (\d+) of/.exec(document.getElementById('status').textContent)?.[1]) > 1);
      await page.click('#view-list');
      const expanded = await inViewIds(page);
      await page.click('#view-graph');
      assert.ok(expanded.length > 10, `${expanded.length} entities after expanding`);
      const exp = await outside(page, expanded);
      assert.equal(exp.shown, expanded.length);
      assert.deepEqual(exp.out, [], 'entities of the expansion left off-screen');
      await noViolations(page, 'after an expansion');
      await screenshot(page, 'camera-expanded');

      // Selection from the search: the entity and its neighbours in view.
      await lookAway(page);
      await page.fill('#search', 'Śląskie');
      await page.locator('#search-list li[data-id="slaskie"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sel') === 'slaskie');
      await page.locator('#details-name').filter({ hasText: 'Śląsk' }).waitFor();
      const sel = await outside(page, ['slaskie']);
      assert.equal(sel.shown, 1);
      assert.deepEqual(sel.out, [], 'the selection left off-screen');
      // Its label is drawn, right of it, whatever the density.
      const { at } = await page.evaluate(() => window.__coopgraph.positions(['slaskie']));
      const labels = await page.evaluate(() => window.__coopgraph.labels());
      assert.ok(
        labels.some(([x, y, , h]) => x > at.slaskie.x && x - at.slaskie.x < 40 && Math.abs(y + h / 2 - at.slaskie.y) < 4),
        `no label beside the selection at ${JSON.stringify(at.slaskie)}: ${JSON.stringify(labels)}`,
      );
      await noViolations(page, 'after a selection');

      // A path: every entity of the paths highlighted comes into view.
      await lookAway(page);
      await page.click('#tab-path');
      await page.fill('#path-from', 'Opolskie');
      await page.locator('#path-from-list li[data-id="opolskie"]').click();
      await page.fill('#path-to', 'Małopolskie');
      await page.locator('#path-to-list li[data-id="malopolskie"]').click();
      await page.click('#path-form button[type=submit]');
      await page.locator('#path-result ol.paths').first().waitFor({ timeout: 60_000 });
      const path = await page.evaluate(() => window.__coopgraph.highlighted());
      assert.ok(path.includes('opolskie') && path.includes('malopolskie'), `path: ${path}`);
      const p = await outside(page, path);
      assert.equal(p.shown, path.length);
      assert.deepEqual(p.out, [], 'entities of the path left off-screen');
      await noViolations(page, 'after finding a path');
      await screenshot(page, 'camera-path');
    });
  });

  test('with reduced motion the camera jumps to what is asked, without gliding', async () => {
    await open('camera-reduced', '?lang=en&sel=malopolskie', async (page) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await lookAway(page);
      assert.equal((await outside(page, ['malopolskie'])).out.length, 1);
      // The camera's state is sampled every frame from the click on: it
      // never animates, and the expansion ends inside the graph.
      await page.evaluate(() => {
        window.__glided = false;
        const tick = () => {
          if (window.__coopgraph.moving()) window.__glided = true;
          window.__glideTimer = requestAnimationFrame(tick);
        };
        tick();
      });
      await page.click('#expand');
      await page.waitForFunction(() => Number(/Showing (\d+) of/.exec(document.getElementById('status').textContent)?.[1]) > 1);
      await page.waitForTimeout(600);
      assert.equal(await page.evaluate(() => window.__glided), false, 'the camera glided under prefers-reduced-motion');
      assert.deepEqual((await outside(page, ['malopolskie'])).out, []);
    });
  });

  test('the label density changes how many labels are drawn, comes back from the URL, and no label goes under the legend', async () => {
    const counts = {};
    let url;
    await open('camera-labels', '?lang=en&open=malopolskie,dom-polski-poludniowej', async (page) => {
      assert.ok((await showing(page)) > 30);
      for (const level of ['all', 'some', 'few']) {
        await page.selectOption('#labels', level);
        await still(page);
        counts[level] = (await page.evaluate(() => window.__coopgraph.labels())).length;
      }
      assert.ok(counts.few < counts.some && counts.some < counts.all, `labels drawn: ${JSON.stringify(counts)}`);
      assert.match(page.url(), /[?&]labels=few\b/);
      url = page.url();

      // The legend: open on a wide screen, in the bottom-left corner, no
      // larger than a corner; no label under it.
      const legend = page.locator('#legend');
      const toggle = page.locator('#legend-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      await page.selectOption('#labels', 'all');
      await still(page);
      const graph = await page.locator('#graph').boundingBox();
      let box = await legend.boundingBox();
      assert.ok(box.x - graph.x < 20 && graph.y + graph.height - (box.y + box.height) < 20, `legend not in the corner: ${JSON.stringify({ box, graph })}`);
      assert.ok(box.width <= graph.width * 0.45 + 1 && box.height <= graph.height * 0.45 + 1, `legend beyond a corner: ${JSON.stringify({ box, graph })}`);
      const under = (labels, b) => labels.filter(([x, y, w, h]) => x < b.x - graph.x + b.width && x + w > b.x - graph.x && y < b.y - graph.y + b.height && y + h > b.y - graph.y);
      let labels = await page.evaluate(() => window.__coopgraph.labels());
      assert.deepEqual(under(labels, box), [], 'labels drawn under the legend');
      await noViolations(page, 'the legend open, all labels');
      await screenshot(page, 'camera-labels-all');

      // Closed: its button alone; labels may use the corner again.
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.ok(await page.locator('#legend-body').isHidden());
      box = await legend.boundingBox();
      assert.ok(box.height < 60 && box.width < 200, `closed legend: ${JSON.stringify(box)}`);
      await still(page);
      labels = await page.evaluate(() => window.__coopgraph.labels());
      assert.deepEqual(under(labels, box), [], 'labels drawn under the closed legend');
      await noViolations(page, 'the legend closed');
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    });

    // The URL brings the density back.
    await open('camera-labels-url', new URL(url).search, async (page) => {
      assert.equal(await page.inputValue('#labels'), 'few');
      await still(page);
      const few = (await page.evaluate(() => window.__coopgraph.labels())).length;
      assert.ok(few < counts.all, `${few} labels from a URL asking for few (all: ${counts.all})`);
    });
  });

  test('on a phone the graph takes most of the screen, nothing overflows, and the legend starts closed', async () => {
    await open(
      'camera-phone',
      '?lang=en&sel=malopolskie&open=malopolskie',
      async (page) => {
        const m = await page.evaluate(() => {
          const g = document.getElementById('graph').getBoundingClientRect();
          return { top: g.top, bottom: g.bottom, scrollWidth: document.documentElement.scrollWidth, innerWidth, innerHeight };
        });
        const above = Math.min(m.bottom, m.innerHeight) - Math.max(0, m.top);
        assert.ok(above >= 0.6 * m.innerHeight, `graph above the fold: ${above} of ${m.innerHeight} px`);
        assert.ok(m.scrollWidth <= m.innerWidth, `horizontal overflow: ${m.scrollWidth} > ${m.innerWidth}`);
        assert.equal(await page.locator('#legend-toggle').getAttribute('aria-expanded'), 'false');
        assert.ok(await page.locator('#toolbar').isHidden(), 'the toolbar is open on a phone');
        for (const sel of ['#tools-toggle', '#legend-toggle', '#tab-details', '#tab-path', '[data-lang="pl"]', '#search']) {
          const b = await page.locator(sel).boundingBox();
          assert.ok(b.height >= 44, `${sel} is ${b.height} px high`);
        }
        // The selection and its neighbours are on the screen.
        await page.locator('#details-name').waitFor();
        await noViolations(page, 'the phone layout');
        await screenshot(page, 'camera-phone');

        // The toolbar opens from its button, still within the width.
        await page.click('#tools-toggle');
        assert.equal(await page.locator('#tools-toggle').getAttribute('aria-expanded'), 'true');
        assert.ok(await page.locator('#labels').isVisible());
        for (const sel of ['#expand', '#labels', '#export-png']) {
          const b = await page.locator(sel).boundingBox();
          assert.ok(b.height >= 44 && b.x >= 0 && b.x + b.width <= phone.width, `${sel}: ${JSON.stringify(b)}`);
        }
        assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= phone.width);
        await page.click('#legend-toggle');
        assert.equal(await page.locator('#legend-toggle').getAttribute('aria-expanded'), 'true');
        assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= phone.width);
        await noViolations(page, 'the phone layout, toolbar and legend open');
        await screenshot(page, 'camera-phone-open');
      },
      { viewport: phone },
    );
    // The wide screen keeps its layout.
    await open('camera-desktop', '?lang=en&sel=malopolskie&open=malopolskie', async (page) => {
      const m = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, g: document.getElementById('graph').getBoundingClientRect().toJSON() }));
      assert.ok(m.w <= desktop.width, `horizontal overflow at 1440: ${m.w}`);
      assert.ok(m.g.width > 900 && m.g.height > 600, `graph at 1440×900: ${JSON.stringify(m.g)}`);
      assert.ok(await page.locator('#toolbar').isVisible());
      assert.ok(await page.locator('#tools-toggle').isHidden());
      await screenshot(page, 'camera-desktop');
    });
  });

  test('the PNG has a title, the legend, the date and the credit lines, drawn and in its text chunks', async () => {
    await open('camera-png', '?lang=en&sel=malopolskie&open=malopolskie', async (page) => {
      await still(page);
      const graph = await page.locator('#graph').boundingBox();
      const dpr = await page.evaluate(() => devicePixelRatio);
      const legendItems = await page.locator('#legend-body li').count();
      assert.ok(legendItems > 2);

      const en = await exportPNG(page);
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(path.join(artifacts, 'camera-export.png'), en.bytes);
      assert.ok(en.width > Math.round(graph.width * dpr) && en.height > Math.round(graph.height * dpr), `PNG ${en.width}×${en.height}, graph ${graph.width}×${graph.height}`);
      assert.equal(en.text.Title, 'Województwo Małopolskie and its partners');
      const made = new Date(en.text['Creation Time']);
      assert.ok(Math.abs(Date.now() - made) < 120_000, `Creation Time ${en.text['Creation Time']}`);
      assert.match(en.text.Description, /^\d+ entities and \d+ relations shown · \d{1,2} \w+ \d{4}$/);
      assert.deepEqual(en.text.Copyright.split('\n'), credits);
      assert.match(en.text.Source, /[?&]sel=malopolskie\b/);

      // Drawn: the title strip, the legend's column right of the graph and
      // the credit strip under it are not blank.
      const ink = await page.evaluate(
        async ({ b64, gw, gh }) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const img = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
          const c = document.createElement('canvas');
          c.width = img.width;
          c.height = img.height;
          const ctx = c.getContext('2d');
          ctx.drawImage(img, 0, 0);
          const dark = (x, y, w, h) => {
            const d = ctx.getImageData(x, y, w, h).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 3 * 160) n++;
            return n;
          };
          const titleH = Math.round(50 * devicePixelRatio);
          return {
            title: dark(0, 0, img.width, titleH),
            legend: dark(gw, 60, img.width - gw, Math.min(gh, 300)),
            credits: dark(0, img.height - 30, img.width, 30),
          };
        },
        { b64: en.bytes.toString('base64'), gw: Math.round(graph.width * dpr), gh: Math.round(graph.height * dpr) },
      );
      assert.ok(ink.title > 200 && ink.legend > 200 && ink.credits > 100, `dark pixels: ${JSON.stringify(ink)}`);

      // In Polish, the title in Polish (an iTXt chunk: it is not Latin-1).
      await page.click('[data-lang="pl"]');
      const pl = await exportPNG(page);
      writeFileSync(path.join(artifacts, 'camera-export-pl.png'), pl.bytes);
      assert.equal(pl.text.Title, 'Województwo Małopolskie i partnerzy');
      assert.match(pl.text.Description, /^Pokazano: \d+ podmiot\S* i \d+ relacj\S* · \d{1,2} \S+ \d{4}$/);
      await noViolations(page, 'after the PNG export');
    });
  });

  test('the list’s CSV has a community for every entity while colouring by kind', async () => {
    await open('camera-csv', '?lang=en&open=malopolskie&view=list', async (page) => {
      assert.equal(await page.inputValue('#colour'), 'kind');
      const n = await showing(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-list')]);
      const text = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
      const rows = parseCSV(text);
      assert.deepEqual(rows[0], ['id', 'name', 'kind', 'degree', 'community']);
      assert.equal(rows.length - 1, n);
      const empty = rows.slice(1).filter((r) => !/^\d+$/.test(r[4]));
      assert.deepEqual(empty, [], 'rows without a community');
      // The list shows them too.
      const cells = await page.locator('#list-body tr td:nth-child(4)').allInnerTexts();
      assert.ok(cells.every((c) => /^\d+$/.test(c.trim())), 'the list has empty community cells');
      await noViolations(page, 'the list with communities');
    });
  });
});

// exportPNG clicks the PNG button and returns the file: its bytes, size
// and text chunks (tEXt and iTXt), checking each chunk's CRC.
async function exportPNG(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'not a PNG');
  const text = {};
  let width = 0;
  let height = 0;
  let idat = 0;
  for (let at = 8; at < bytes.length; ) {
    const len = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + len);
    assert.equal(bytes.readUInt32BE(at + 8 + len), crc32(bytes.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    } else if (type === 'tEXt') {
      const z = data.indexOf(0);
      text[data.toString('latin1', 0, z)] = data.toString('latin1', z + 1);
    } else if (type === 'iTXt') {
      const z = data.indexOf(0);
      const compressed = data[z + 1] === 1;
      const lang = data.indexOf(0, z + 3);
      const tk = data.indexOf(0, lang + 1);
      const body = data.subarray(tk + 1);
      text[data.toString('latin1', 0, z)] = (compressed ? inflateSync(body) : body).toString('utf8');
    } else if (type === 'IDAT') {
      idat += len;
    }
    at += 12 + len;
  }
  assert.ok(idat > 0);
  return { bytes, width, height, text };
}

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

// parseCSV reads RFC 4180 CSV.
function parseCSV(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}
