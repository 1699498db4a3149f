// Exploring the graph by hand (web/page/src/interact.js) on the built-in
// linked network (111,204 entities), in headless chromium: a node's context
// menu by right click and by keyboard (an ARIA menu: arrow keys, Escape,
// focus back), expanding by one relation type and by one kind (only those
// neighbours, checked against the API), hiding (kept across expansions and
// in the URL, brought back by "Show hidden"), focusing on 1 step around the
// selection (exactly its neighbourhood, checked against the API), picking
// two entities on the graph for the path finder, the URL reopening the same
// view; and on the seed network, drawn whole, in Polish: the menu by a long
// press, a focus from the relations in view, a hidden entity from the URL.
// axe-core finds no violation with the menu open, nor in the new notes.
// Screenshots: artifacts/interact-*.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { graphql as api, guardedPage, launchChromium, screenshot, startCoopgraph } from './harness.mjs';
import { noViolations } from './rankings-helpers.mjs';

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});


// neighbourIds lists every neighbour of id (of these relation types or kinds
// when given), from the API.
async function neighbourIds(server, id, { relationTypes = null, kinds = null } = {}) {
  const d = await api(
    server,
    `query($id: ID!, $t: [String!], $k: [String!]) { entity(id: $id) { neighboursConnection(relationTypes: $t, kinds: $k, first: 1000) { totalCount edges { node { id } } } } }`,
    { id, t: relationTypes, k: kinds },
  );
  const c = d.entity.neighboursConnection;
  assert.ok(c.totalCount <= 1000, 'more neighbours than one page');
  return new Set(c.edges.map((e) => e.node.id));
}

const inView = (page) => page.evaluate(() => window.__coopgraphInteract.inView());
const shown = (page) => page.evaluate(() => window.__coopgraphInteract.shown());

// settle waits until the graph stops moving (layout and camera).
async function settle(page, id) {
  let last = null;
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(250);
    const p = await page.evaluate((x) => window.__coopgraphInteract.viewport(x), id);
    if (last && p && Math.abs(p.x - last.x) < 0.5 && Math.abs(p.y - last.y) < 0.5) return;
    last = p;
  }
}

// clear finds entities drawn far from every other one (clicks on them hit
// them), most isolated first, with their screen positions, inside the graph.
async function clear(page) {
  return page.evaluate(() => {
    const g = window.__coopgraphInteract;
    const box = document.getElementById('graph').getBoundingClientRect();
    const pts = g.shown().map((id) => ({ id, ...g.viewport(id) })).filter((p) => p.x > box.left + 30 && p.x < box.right - 30 && p.y > box.top + 30 && p.y < box.bottom - 30);
    for (const p of pts) p.room = Math.min(...pts.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
    return pts.sort((a, b) => b.room - a.room);
  });
}

// menuItem is the menu item (in the open menu) whose text starts with text.
const menuItem = (page, text) => page.locator('#node-menu [role=menuitem]', { hasText: text }).first();

describe('exploring the graph by hand on the built-in linked network', () => {
  let server;
  before(async () => {
    server = await startCoopgraph({ builtin: true, timeoutMs: 180_000 });
  });
  after(async () => {
    await server?.stop();
  });

  test('context menu, expanding by type and kind, hiding, focus and picking two', async (t) => {
    const g = await guardedPage(browser);
    const { page } = g;
    try {
      // A URL naming a selection opens on it alone (without it the linked
      // network opens on Małopolska and its first 50 neighbours, among them
      // every one the expansions below must add).
      await page.goto(`${server.base}/?lang=en&sel=malopolskie`);
      await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 120_000 });
      assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true');
      assert.deepEqual(await inView(page), ['malopolskie']);

      // Select Małopolska through the search.
      await page.locator('#search').pressSequentially('Malopolska', { delay: 20 });
      await page.locator('#search-list li[data-id="malopolskie"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sel') === 'malopolskie');
      await page.locator('#details-name').waitFor();
      await settle(page, 'malopolskie');

      // ---- keyboard: Shift+F10 on the graph opens the selection's menu ----
      await page.focus('#graph');
      await page.keyboard.press('Shift+F10');
      const menu = page.locator('#node-menu');
      await menu.waitFor();
      assert.equal(await menu.getAttribute('role'), 'menu');
      assert.match(await menu.getAttribute('aria-label'), /Województwo Małopolskie/);
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Select and show details');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Expand all neighbours');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Partners', 'ArrowUp from the first item wraps to the last');
      await page.keyboard.press('Escape');
      assert.equal(await menu.count(), 0, 'Escape closes the menu');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'graph', 'focus returns to the graph');

      // ---- expand by one relation type, from the keyboard ----
      const partOf = await neighbourIds(server, 'malopolskie', { relationTypes: ['PART_OF'] });
      const beforeType = new Set(await inView(page));
      await page.keyboard.press('Shift+F10');
      await menu.waitFor();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-haspopup')), 'menu');
      await page.keyboard.press('ArrowRight');
      const typeItem = page.locator('#node-menu-types [role=menuitem][data-type="PART_OF"]');
      await typeItem.waitFor();
      assert.match(await typeItem.innerText(), new RegExp(`^part of \\(${partOf.size}\\)$`));
      await noViolations(page, 'the menu open with its submenu of relation types');
      await screenshot(page, 'interact-menu');
      await typeItem.focus();
      await page.keyboard.press('Enter');
      await page.locator('#interact-note', { hasText: `of ${partOf.size} shown` }).waitFor();
      const afterType = await inView(page);
      const addedType = afterType.filter((id) => !beforeType.has(id));
      assert.ok(addedType.length > 0, 'nothing added');
      for (const id of addedType) assert.ok(partOf.has(id), `${id} was added but is no PART_OF neighbour`);
      for (const id of partOf) assert.ok(afterType.includes(id), `${id}, a PART_OF neighbour, is not in view`);
      t.diagnostic(`expand by PART_OF added ${addedType.length} of ${partOf.size}`);

      // ---- expand by one kind, from a right click ----
      await settle(page, 'malopolskie');
      const orgs = await neighbourIds(server, 'malopolskie', { kinds: ['Organisation'] });
      const beforeKind = new Set(await inView(page));
      const at = await page.evaluate(() => window.__coopgraphInteract.viewport('malopolskie'));
      await page.mouse.click(at.x, at.y, { button: 'right' });
      await menu.waitFor();
      const target = (await menu.getAttribute('aria-label')).replace(/^Actions: /, '');
      t.diagnostic(`right click at Małopolska's place opened the menu of ${target}`);
      await menuItem(page, 'Expand by kind').hover();
      const kindItem = page.locator('#node-menu-kinds [role=menuitem][data-kind="Organisation"]');
      if (target === 'Województwo Małopolskie') {
        await kindItem.waitFor();
        assert.match(await kindItem.innerText(), new RegExp(`^Organisation \\(${orgs.size}\\)$`));
        await kindItem.click();
        await page.locator('#interact-note', { hasText: `of ${orgs.size} shown` }).waitFor();
        const afterKind = await inView(page);
        const addedKind = afterKind.filter((id) => !beforeKind.has(id));
        for (const id of addedKind) assert.ok(orgs.has(id), `${id} was added but is no Organisation neighbour`);
        for (const id of orgs) assert.ok(afterKind.includes(id), `${id}, an Organisation neighbour, is not in view`);
      } else {
        // Another entity was drawn on top: close and use the keyboard.
        await page.keyboard.press('Escape');
        throw new Error(`the right click opened the menu of ${target}`);
      }

      // ---- a right click on an entity opens its own menu ----
      await settle(page, 'malopolskie');
      const free = (await clear(page)).find((p) => p.id !== 'malopolskie');
      await page.mouse.click(free.x, free.y, { button: 'right' });
      await menu.waitFor();
      const freeName = (await api(server, 'query($id: ID!) { entity(id: $id) { name } }', { id: free.id })).entity.name;
      assert.equal(await menu.getAttribute('aria-label'), `Actions: ${freeName}`, 'the menu is not the clicked entity\'s');
      // ---- hide it: it leaves the view, the URL keeps it, expansions leave it out ----
      await menuItem(page, 'Hide').click();
      assert.equal(await menu.count(), 0);
      await page.waitForFunction((id) => !window.__coopgraphInteract.inView().includes(id), free.id);
      assert.equal(await page.evaluate(() => new URL(location.href).searchParams.get('hide')), free.id);
      assert.equal(await page.locator('#show-hidden').innerText(), 'Show hidden (1)');
      const all = await neighbourIds(server, 'malopolskie');
      await page.locator('#tab-details').click();
      await page.evaluate(() => document.getElementById('expand').click());
      await page.waitForFunction((n) => window.__coopgraphInteract.inView().length >= n, Math.min(all.size, 50) - 1);
      await page.waitForTimeout(500);
      assert.ok(!(await inView(page)).includes(free.id), 'an expansion brought the hidden entity back');
      await page.click('#show-hidden');
      await page.waitForFunction((id) => window.__coopgraphInteract.inView().includes(id), free.id);
      assert.equal(await page.evaluate(() => new URL(location.href).searchParams.get('hide')), null);
      assert.ok(await page.locator('#show-hidden').isHidden());

      // ---- focus on 1 step around the selection: exactly its neighbourhood ----
      // Something two steps away comes into view first: a neighbour's
      // neighbours, which the focus must leave out.
      // The neighbour with the most neighbours of its own.
      const counts = await Promise.all(
        [...all].map(async (id) => [id, (await api(server, 'query($id: ID!) { entity(id: $id) { neighboursConnection(first: 0) { totalCount } } }', { id })).entity.neighboursConnection.totalCount]),
      );
      const [other] = counts.sort((x, y) => y[1] - x[1])[0];
      await page.click('#view-list');
      await page.locator(`#list-body button[data-id="${other}"]`).click();
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('sel') === id, other);
      await page.click('#expand');
      await page.waitForFunction((n) => window.__coopgraphInteract.inView().length > n, all.size + 1);
      await page.locator('#list-body button[data-id="malopolskie"]').click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sel') === 'malopolskie');
      await page.click('#view-graph');
      t.diagnostic(`${other} has ${counts[0][1]} neighbours; ${(await inView(page)).length} entities in view`);
      await page.selectOption('#focus-steps', '1');
      await page.locator('#interact-note', { hasText: 'Focus:' }).waitFor();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sel') === 'malopolskie');
      const focused = new Set(await shown(page));
      const want = new Set([...all, 'malopolskie']);
      assert.deepEqual([...focused].sort(), [...want].sort(), 'the focus shows exactly the selection and its neighbours');
      assert.ok((await inView(page)).length >= focused.size);
      assert.equal(await page.evaluate(() => new URL(location.href).searchParams.get('focus')), '1');
      await screenshot(page, 'interact-focus');
      await page.selectOption('#focus-steps', '0');
      await page.waitForFunction(() => window.__coopgraphInteract.shown().length === window.__coopgraphInteract.inView().length);

      // ---- the details' button opens the menu; paging an expansion by kind ----
      await page.click('#view-list');
      await page.locator(`#list-body button[data-id="${other}"]`).click();
      await page.waitForFunction((id) => new URL(location.href).searchParams.get('sel') === id, other);
      // The details (and their menu button) are the new selection's once its name heads them.
      const otherName = (await api(server, 'query($id: ID!) { entity(id: $id) { name } }', { id: other })).entity.name;
      await page.locator('#pane-details #details-name', { hasText: otherName }).waitFor();
      await page.click('#view-graph');
      await page.locator('#node-menu-button').focus();
      await page.keyboard.press('Enter');
      await menu.waitFor();
      assert.equal(await menu.getAttribute('aria-label'), `Actions: ${otherName}`);
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'node-menu-button', 'focus returns to the button');
      await page.keyboard.press('Enter');
      await menu.waitFor();
      await menuItem(page, 'Expand by kind').focus();
      await page.keyboard.press('ArrowRight');
      const firstKind = page.locator('#node-menu-kinds [role=menuitem][data-kind]').first();
      await firstKind.waitFor();
      const kind = await firstKind.getAttribute('data-kind');
      const ofKind = await neighbourIds(server, other, { kinds: [kind] });
      assert.ok(ofKind.size > 50, `${other} has only ${ofKind.size} neighbours of kind ${kind}`);
      const beforePage = new Set(await inView(page));
      await page.keyboard.press('Enter');
      await page.locator('#interact-note', { hasText: `50 of ${ofKind.size} shown` }).waitFor();
      await noViolations(page, 'a page of an expansion by kind, with its More button');
      await page.click('#expand-more');
      await page.locator('#interact-note', { hasText: `${Math.min(100, ofKind.size)} of ${ofKind.size} shown` }).waitFor();
      const addedPage = (await inView(page)).filter((id) => !beforePage.has(id));
      assert.ok(addedPage.length > 50, `two pages added ${addedPage.length}`);
      for (const id of addedPage) assert.ok(ofKind.has(id), `${id} was added but is no ${kind} neighbour of ${other}`);
      t.diagnostic(`two pages of ${kind} neighbours of ${other}: ${addedPage.length} added of ${ofKind.size}`);

      // ---- focus on 2 steps fetches what is missing; 3 steps is more than the view holds ----
      await page.selectOption('#focus-steps', '2');
      await page.locator('#interact-note', { hasText: 'within 2 steps of' }).waitFor({ timeout: 60_000 });
      const two = Number((await page.locator('#interact-note').innerText()).match(/Focus: ([\d,]+) entit/)[1].replace(/,/g, ''));
      const shownTwo = await shown(page);
      assert.equal(shownTwo.length, two);
      assert.ok(shownTwo.includes(other) && [...ofKind].every((id) => shownTwo.includes(id)), 'a neighbour of the selection is left out');
      t.diagnostic(`${two} entities within 2 steps of ${other}`);
      await page.selectOption('#focus-steps', '3');
      await page.locator('#interact-note .problem').waitFor({ timeout: 60_000 });
      assert.match(await page.locator('#interact-note').innerText(), /^More than 3,000 entities lie within 3 steps of .*: more than the view holds\. The view is unchanged; focus on fewer steps\.$/);
      assert.equal(await page.locator('#focus-steps').inputValue(), '2', 'the focus it had is kept');
      assert.deepEqual((await shown(page)).sort(), shownTwo.sort(), 'the view changed');
      assert.equal(await page.evaluate(() => new URL(location.href).searchParams.get('focus')), '2');
      await noViolations(page, 'a focus refused as too large');
      await page.selectOption('#focus-steps', '0');
      await page.waitForFunction(() => window.__coopgraphInteract.shown().length === window.__coopgraphInteract.inView().length);

      // ---- Shift+click: a path from the selection to the entity clicked ----
      await page.click('#tab-details');
      await page.locator(`#list-body button[data-id="malopolskie"]`).evaluate((b) => b.click());
      await page.waitForFunction(() => new URL(location.href).searchParams.get('sel') === 'malopolskie');
      await settle(page, 'malopolskie');
      const target2 = (await clear(page)).find((p) => p.id !== 'malopolskie' && all.has(p.id));
      await page.keyboard.down('Shift');
      await page.mouse.click(target2.x, target2.y);
      await page.keyboard.up('Shift');
      await page.waitForFunction(() => document.getElementById('tab-path').getAttribute('aria-selected') === 'true');
      assert.equal(await page.evaluate(() => document.getElementById('path-from').dataset.id), 'malopolskie');
      assert.equal(await page.evaluate(() => document.getElementById('path-to').dataset.id), target2.id);
      await page.locator('#path-result ol.paths li, #path-result .note').first().waitFor();

      // ---- pick two on the graph: the path finder runs between them ----
      await page.click('#view-graph').catch(() => {});
      await settle(page, 'malopolskie');
      const spots = await clear(page);
      const [a, b] = spots;
      assert.ok(a && b && a.room > 12 && b.room > 12, 'no two entities drawn apart');
      await page.click('#pick-two');
      assert.equal(await page.getAttribute('#pick-two', 'aria-pressed'), 'true');
      await page.mouse.click(a.x, a.y);
      await page.locator('#interact-note', { hasText: 'now click the entity the path goes to' }).waitFor();
      // Where b is drawn now (selecting a redraws the view).
      const b2 = await page.evaluate((id) => window.__coopgraphInteract.viewport(id), b.id);
      assert.equal(await page.evaluate(({ x, y }) => window.__coopgraphInteract.nodeAt(x, y), b2), b.id);
      await page.mouse.click(b2.x, b2.y);
      await page.waitForFunction(() => document.getElementById('tab-path').getAttribute('aria-selected') === 'true');
      assert.equal(await page.evaluate(() => document.getElementById('path-from').dataset.id), a.id);
      assert.equal(await page.evaluate(() => document.getElementById('path-to').dataset.id), b.id);
      const url = await page.evaluate(() => Object.fromEntries(new URL(location.href).searchParams));
      assert.equal(url.from, a.id);
      assert.equal(url.to, b.id);
      assert.equal(await page.getAttribute('#pick-two', 'aria-pressed'), 'false');
      // The path finder's answer is the API's for the two ends (the answer
      // of the Shift+click before stays listed until it comes).
      const expected = await api(server, 'query($a: ID!, $b: ID!) { allShortestPaths(from: $a, to: $b, first: 1) { length nodes { name } } }', { a: a.id, b: b.id });
      if (expected.allShortestPaths.length) {
        const p = expected.allShortestPaths[0];
        await page.waitForFunction(
          ([first, last]) => {
            const w = document.querySelector('#path-result ol.paths li .words')?.textContent ?? '';
            return w.startsWith(first) && w.endsWith(last);
          },
          [p.nodes[0].name, p.nodes.at(-1).name],
          { timeout: 30_000 },
        );
        const words = await page.locator('#path-result ol.paths li .words').first().innerText();
        assert.ok(words.startsWith(p.nodes[0].name) && words.endsWith(p.nodes.at(-1).name), words);
        t.diagnostic(`picked ${a.id} and ${b.id}: ${words}`);
      } else {
        await page.locator('#path-result .note', { hasText: 'No path within these options.' }).waitFor({ timeout: 30_000 });
        t.diagnostic(`picked ${a.id} and ${b.id}: no path, as the API says`);
      }
      await screenshot(page, 'interact-path');

      // ---- the URL keeps the expansions by type and kind: a copy opens the same view ----
      const by = await page.evaluate(() => new URL(location.href).searchParams.get('by'));
      assert.equal(by, `malopolskie~t~PART_OF~1,malopolskie~k~Organisation~1,${other}~k~${kind}~2`);
      const g2 = await guardedPage(browser);
      try {
        await g2.page.goto(page.url());
        await g2.page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 120_000 });
        assert.equal(await g2.page.evaluate(() => document.body.dataset.ready), 'true');
        const again = new Set(await inView(g2.page));
        for (const id of [...partOf, ...orgs, ...addedPage]) assert.ok(again.has(id), `${id} is not in the view the URL opens`);
      } finally {
        await g2.context.close();
      }
      assert.deepEqual(g2.problems(), [], 'the copied URL\'s page had problems');
    } catch (err) {
      await screenshot(page, 'interact-failure').catch(() => {});
      throw err;
    } finally {
      await g.context.close();
    }
    assert.deepEqual(g.problems(), [], 'the page had problems');
  });
});

// On the seed network (drawn whole) the menu has no expansions, the focus is
// computed from the relations in view, and the page speaks Polish.
describe('exploring the seed network, drawn whole, in Polish', () => {
  let server;
  before(async () => {
    server = await startCoopgraph();
  });
  after(async () => {
    await server?.stop();
  });

  test('focus from the relations in view, hiding inside a focus, the menu in Polish', async () => {
    const g = await guardedPage(browser);
    const { page } = g;
    try {
      await page.goto(`${server.base}/?lang=pl&sel=malopolskie`);
      await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000 });
      assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true');
      const all = await neighbourIds(server, 'malopolskie');
      const total = (await inView(page)).length;

      await page.selectOption('#focus-steps', '1');
      await page.locator('#interact-note', { hasText: 'Skupienie (' }).waitFor();
      assert.deepEqual((await shown(page)).sort(), [...all, 'malopolskie'].sort());
      assert.equal((await inView(page)).length, total, 'a focus on a network drawn whole fetched or dropped entities');

      await page.focus('#graph');
      await page.keyboard.press('ContextMenu');
      const menu = page.locator('#node-menu');
      await menu.waitFor();
      const labels = await page.locator('#node-menu > li > [role=menuitem]').allInnerTexts();
      assert.deepEqual(labels, ['Wybierz i pokaż szczegóły', 'Skup widok wokół niego', 'Ukryj', 'Ścieżka stąd', 'Ścieżka dotąd', 'Partnerzy']);
      await page.keyboard.press('Escape');
      assert.equal(await menu.count(), 0);

      // A long press on a touch screen opens the menu of the entity pressed.
      await page.selectOption('#focus-steps', '0');
      await settle(page, 'malopolskie');
      const [spot] = await clear(page);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: spot.x, y: spot.y }] });
      await page.waitForTimeout(800);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await menu.waitFor();
      const spotName = (await api(server, 'query($id: ID!) { entity(id: $id) { name } }', { id: spot.id })).entity.name;
      assert.equal(await menu.getAttribute('aria-label'), `Działania: ${spotName}`);
      await noViolations(page, 'the menu open after a long press, in Polish');
      await page.keyboard.press('Escape');

      // A URL that hides a neighbour: it stays out of the view and of the
      // focus until "Show hidden" brings it back.
      const [neighbour] = [...all].sort();
      await page.goto(`${server.base}/?lang=pl&sel=malopolskie&focus=1&hide=${encodeURIComponent(neighbour)}`);
      await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60_000 });
      await page.locator('#interact-note', { hasText: 'Skupienie (' }).waitFor();
      assert.deepEqual((await shown(page)).sort(), [...all, 'malopolskie'].filter((id) => id !== neighbour).sort());
      assert.equal(await page.locator('#interact-note').innerText(), `Skupienie (1 krok wokół: Województwo Małopolskie): ${all.size} podmiotów.`);
      assert.equal(await page.locator('#show-hidden').innerText(), 'Pokaż ukryte (1)');
      await noViolations(page, 'a focus with a hidden entity, in Polish');
      await page.click('#show-hidden');
      await page.waitForFunction((id) => window.__coopgraphInteract.shown().includes(id), neighbour);
      assert.equal((await inView(page)).length, total);
      assert.equal(await page.evaluate(() => new URL(location.href).searchParams.get('hide')), null);
    } catch (err) {
      await screenshot(page, 'interact-seed-failure').catch(() => {});
      throw err;
    } finally {
      await g.context.close();
    }
    assert.deepEqual(g.problems(), [], 'the page had problems');
  });
});
