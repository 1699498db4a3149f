// Exploring the graph by hand: a node's context menu (right click, long
// press, or Shift+F10 / the context-menu key on the selected node), expanding
// only the neighbours of one relation type or kind, hiding entities (kept
// hidden across expansions, and in the URL), focusing the view on what lies
// within 1–3 steps of the selection, and picking two entities on the graph
// for the path finder. main.js hands it what it needs (setupInteract's
// hooks) and calls back when the selection changes.
import * as api from './api.js';
import { number, plural, t } from './i18n.js';

// The URL's part of this module's state: hide (ids, comma-separated),
// focus (steps, 1–3) and by (expansions by type or kind, each
// id~t~TYPE~pages or id~k~KIND~pages). main.js's readURL and writeURL call
// readInteractURL and writeInteractURL.
const ist = { hidden: [], focus: 0, by: [] };

export function readInteractURL(q) {
  ist.hidden = [...new Set((q.get('hide') ?? '').split(',').filter(Boolean))];
  const f = Number.parseInt(q.get('focus') ?? '', 10);
  ist.focus = f >= 1 && f <= 3 ? f : 0;
  ist.by = (q.get('by') ?? '')
    .split(',')
    .map((x) => x.split('~'))
    .filter(([id, w, v, n]) => id && (w === 't' || w === 'k') && v && /^[1-9]\d?$/.test(n ?? ''))
    .map(([id, w, v, n]) => ({ id, type: w === 't' ? v : null, kind: w === 'k' ? v : null, pages: Number(n) }));
}

export function writeInteractURL(q) {
  if (ist.hidden.length) q.set('hide', ist.hidden.join(','));
  if (ist.focus) q.set('focus', String(ist.focus));
  if (ist.by.length) q.set('by', ist.by.map((b) => [b.id, b.type ? 't' : 'k', b.type ?? b.kind, b.pages].join('~')).join(','));
}

// Neighbours added per expansion by type or kind (as main.js's expand).
const pageSize = 50;
// The neighbourhood a focus fetches is asked for this many entities at a
// time, each with at most focusFirst neighbours in the first question.
const focusBatch = 40;
const focusFirst = 200;
// How many neighbour rows a focus may read in all (overlapping
// neighbourhoods repeat entities): beyond, it stops and says so.
const focusReadFactor = 20;

// setupInteract wires the module to the page. h: view (GraphView), state
// (main's), info() (the overview), whole() (the whole network is in view),
// viewMax, expand(id), addEntities(ids, near), select(id, opts),
// deselect(), setTab(name), startPath(end, id), pathBetween(from, to),
// hidePathDrawing() (the path finder's drawing off the network),
// writeURL(), refresh() (status, list, legend), guard(fn), busy(kind, what,
// fn), showError(err), remember(entities), nameOf(id), kindLabel(kind),
// relLabel(type), el(...), fill(...).
export function setupInteract(h) {
  const { view, state, el, fill } = h;
  const $ = (id) => document.getElementById(id);
  view.hidden = new Set(ist.hidden);

  // ---------- notes ----------

  const note = $('interact-note');
  const say = (...children) => {
    fill(note, ...children);
    note.hidden = !note.childElementCount && !note.textContent;
  };

  // ---------- hiding ----------

  const renderHidden = () => {
    const b = $('show-hidden');
    b.hidden = view.hidden.size === 0;
    b.textContent = plural('interact.showHidden', view.hidden.size);
  };

  const hide = (id) => {
    view.hidden.add(id);
    ist.hidden = [...view.hidden];
    view.remove([id]);
    if (view.only) view.only.delete(id);
    if (state.sel === id) h.deselect();
    h.writeURL();
    h.refresh();
    renderHidden();
    say(t('interact.hidden', { name: h.nameOf(id) }));
  };

  // showHidden puts every hidden entity back into view.
  const showHidden = async () => {
    const ids = [...view.hidden];
    view.hidden.clear();
    ist.hidden = [];
    h.writeURL();
    renderHidden();
    if (ids.length) await h.addEntities(ids); // shown in a focused view too (view.add)
    say(plural('interact.restored', ids.length));
  };

  // reveal un-hides entities the user asks for by name (a selection, a
  // path's ends): they come back into view.
  const reveal = (ids) => {
    let changed = false;
    for (const id of ids) changed = view.hidden.delete(id) || changed;
    if (!changed) return;
    ist.hidden = [...view.hidden];
    h.writeURL();
    renderHidden();
  };

  // ---------- expanding by relation type or kind ----------

  const cursors = new Map(); // "id|t:TYPE" or "id|k:KIND" → {after, fetched, total, more}

  const expandBy = async (id, { type = null, kind = null }, { record = true } = {}) => {
    const key = `${id}|${type ? `t:${type}` : `k:${kind}`}`;
    const c = cursors.get(key) ?? { after: null, fetched: 0, total: 0, more: true };
    if (!c.more) return;
    if (!view.has(id)) await h.addEntities([id]);
    const page = await h.busy(`expand-${key}`, t('interact.busy.expand', { name: h.nameOf(id) }), (signal) =>
      api.neighboursBy(id, { relationTypes: type ? [type] : null, kinds: kind ? [kind] : null, first: pageSize, after: c.after, signal }),
    );
    const nodes = page.edges.map((e) => e.node);
    h.remember(nodes);
    const missing = nodes.filter((n) => !view.has(n.id) && !view.hidden.has(n.id)).map((n) => n.id);
    if (view.size + missing.length > h.viewMax) {
      throw new Error(t('interact.full', { entities: plural('count.entities', missing.length), max: number(h.viewMax) }));
    }
    c.after = page.pageInfo.endCursor ?? c.after;
    c.fetched += nodes.length;
    c.total = page.totalCount;
    c.more = page.pageInfo.hasNextPage;
    cursors.set(key, c);
    if (record) {
      const b = ist.by.find((x) => x.id === id && x.type === type && x.kind === kind);
      if (b) b.pages++;
      else ist.by.push({ id, type, kind, pages: 1 });
      h.writeURL();
    }
    if (missing.length) await h.addEntities(missing, id);
    const what = type ? h.relLabel(type) : h.kindLabel(kind);
    const hiddenHere = nodes.filter((n) => view.hidden.has(n.id)).length;
    say(
      el('span', {}, t('interact.page', { what, name: h.nameOf(id), shown: number(c.fetched), total: number(c.total) })),
      hiddenHere ? el('span', {}, ` ${plural('interact.pageHidden', hiddenHere)}`) : null,
      c.more ? ' ' : null,
      c.more ? el('button', { type: 'button', class: 'small', id: 'expand-more', onclick: h.guard(() => expandBy(id, { type, kind })) }, t('interact.more')) : null,
    );
  };

  // ---------- focus ----------

  // neighbourhood finds the entities within steps of id through the API,
  // a step at a time, in questions of focusBatch entities; it stops with
  // an error as soon as more than limit entities are found (or read).
  const neighbourhood = async (id, steps, limit, signal) => {
    const found = new Map([[id, 0]]);
    let frontier = [id];
    let read = 0;
    const tooMany = () => new Error(t('interact.focus.tooLarge', { name: h.nameOf(id), steps: plural('interact.steps', steps), max: number(limit) }));
    for (let step = 1; step <= steps && frontier.length; step++) {
      const next = [];
      const take = (nodes) => {
        h.remember(nodes);
        read += nodes.length;
        for (const n of nodes) {
          if (found.has(n.id)) continue;
          found.set(n.id, step);
          next.push(n.id);
        }
        if (found.size > limit) throw tooMany();
        if (read > focusReadFactor * limit) throw new Error(t('interact.focus.tooMuch', { name: h.nameOf(id), steps: plural('interact.steps', steps) }));
      };
      for (let i = 0; i < frontier.length; i += focusBatch) {
        const batch = frontier.slice(i, i + focusBatch);
        const pages = await api.neighbourhoodStep(batch, focusFirst, signal);
        for (let j = 0; j < batch.length; j++) {
          let page = pages[j];
          if (page.totalCount > limit) throw tooMany();
          take(page.edges.map((e) => e.node));
          while (page.pageInfo.hasNextPage) {
            page = await api.neighboursBy(batch[j], { first: 1000, after: page.pageInfo.endCursor, signal });
            take(page.edges.map((e) => e.node));
          }
        }
      }
      frontier = next;
    }
    return found;
  };

  // localNeighbourhood finds them among the relations in view (the whole
  // network is in view).
  const localNeighbourhood = (id, steps) => {
    const adj = new Map();
    for (const r of view.relations.values()) {
      if (!adj.has(r.fromId)) adj.set(r.fromId, []);
      if (!adj.has(r.toId)) adj.set(r.toId, []);
      adj.get(r.fromId).push(r.toId);
      adj.get(r.toId).push(r.fromId);
    }
    const found = new Map([[id, 0]]);
    let frontier = [id];
    for (let step = 1; step <= steps; step++) {
      const next = [];
      for (const a of frontier) {
        for (const b of adj.get(a) ?? []) {
          if (found.has(b)) continue;
          found.set(b, step);
          next.push(b);
        }
      }
      frontier = next;
    }
    return found;
  };

  let focusRun = 0;
  let focusShown = 0; // the steps of the focus the view shows
  const applyFocus = async () => {
    const run = ++focusRun;
    const steps = ist.focus;
    const id = state.sel;
    $('focus-steps').value = String(steps);
    if (!steps) {
      focusShown = 0;
      view.showOnly(null);
      say();
      return;
    }
    if (!id || !view.has(id)) {
      focusShown = 0;
      view.showOnly(null);
      say(t('interact.focus.needSelection'));
      return;
    }
    let found;
    try {
      found = h.whole()
        ? localNeighbourhood(id, steps)
        : await h.busy('focus', t('interact.busy.focus', { name: h.nameOf(id), steps: plural('interact.steps', steps) }), (signal) => neighbourhood(id, steps, h.viewMax, signal));
    } catch (err) {
      if (run !== focusRun) return;
      // Too large (or cancelled): the view stays as it was, with the
      // focus it had.
      ist.focus = focusShown;
      $('focus-steps').value = String(focusShown);
      h.writeURL();
      if (api.aborted(err)) return say();
      say(el('span', { class: 'problem' }, err.message));
      return;
    }
    if (run !== focusRun || state.sel !== id) return;
    const want = [...found.keys()].filter((x) => !view.hidden.has(x));
    const missing = want.filter((x) => !view.has(x));
    // Room for what is missing: entities outside the focus leave the view.
    if (view.size + missing.length > h.viewMax) {
      const keep = new Set(want);
      view.remove(view.ids().filter((x) => !keep.has(x)));
    }
    if (missing.length) await h.addEntities(missing, id);
    if (run !== focusRun) return;
    const shown = new Set(want.filter((x) => view.has(x)));
    focusShown = steps;
    view.showOnly(shown);
    h.refresh();
    const hiddenN = [...found.keys()].filter((x) => view.hidden.has(x)).length;
    say(
      el('span', {}, t('interact.focus.on', { name: h.nameOf(id), steps: plural('interact.steps', steps), entities: plural('count.entities', shown.size) })),
      hiddenN ? el('span', {}, ` ${plural('interact.focus.hidden', hiddenN)}`) : null,
    );
  };

  const setFocus = (steps) => {
    ist.focus = steps;
    h.writeURL();
    return applyFocus();
  };

  // ---------- picking two entities for the path finder ----------

  let picking = null; // null: off; [] or [from]: picking
  const pickButton = $('pick-two');
  const setPicking = (on) => {
    picking = on ? [] : null;
    pickButton.setAttribute('aria-pressed', on ? 'true' : 'false');
    $('graph').classList.toggle('picking', on);
    // The path finder's layered drawing covers the network: the picks are
    // clicks on the network.
    if (on) h.hidePathDrawing?.();
    say(on ? t('interact.pick.first') : '');
  };

  const pick = (node, event) => {
    if (picking) {
      picking.push(node);
      if (picking.length === 1) {
        view.select(node);
        say(t('interact.pick.second', { name: h.nameOf(node) }));
        return true;
      }
      const [a, b] = picking;
      setPicking(false);
      if (a !== b) h.guard(h.pathBetween)(a, b);
      return true;
    }
    // Shift- or Ctrl-click: a path from the selection to this entity.
    if (event && (event.shiftKey || event.ctrlKey || event.metaKey) && state.sel && state.sel !== node) {
      h.guard(h.pathBetween)(state.sel, node);
      return true;
    }
    return false;
  };

  // ---------- the menu ----------

  let menu = null; // {root, id, invoker, counts}
  let countsAsked = 0;

  const closeMenu = ({ restore = true } = {}) => {
    if (!menu) return;
    const { root, invoker } = menu;
    menu = null;
    root.remove();
    document.removeEventListener('pointerdown', outside, true);
    if (restore && invoker?.isConnected) invoker.focus();
  };

  const outside = (e) => {
    if (menu && !menu.root.contains(e.target)) closeMenu({ restore: false });
  };

  const items = (list) => [...list.children].map((li) => li.querySelector(':scope > [role=menuitem]')).filter(Boolean);

  const openSub = (item, { focusFirst: first = true } = {}) => {
    const sub = item.nextElementSibling;
    if (!sub) return;
    for (const other of items(item.closest('[role=menu]'))) if (other !== item) closeSub(other);
    sub.hidden = false;
    item.setAttribute('aria-expanded', 'true');
    if (first) items(sub)[0]?.focus();
  };

  const closeSub = (item) => {
    const sub = item.getAttribute('aria-haspopup') ? item.nextElementSibling : null;
    if (!sub || sub.hidden) return;
    sub.hidden = true;
    item.setAttribute('aria-expanded', 'false');
  };

  const keys = (e) => {
    const item = e.target.closest('[role=menuitem]');
    if (!item || !menu) return;
    const list = item.closest('[role=menu]');
    const all = items(list);
    const i = all.indexOf(item);
    const sub = list.id === 'node-menu' ? null : list;
    switch (e.key) {
      case 'ArrowDown':
        all[(i + 1) % all.length].focus();
        break;
      case 'ArrowUp':
        all[(i + all.length - 1) % all.length].focus();
        break;
      case 'Home':
        all[0].focus();
        break;
      case 'End':
        all.at(-1).focus();
        break;
      case 'ArrowRight':
        if (item.getAttribute('aria-haspopup')) openSub(item);
        break;
      case 'ArrowLeft':
      case 'Escape':
        if (sub) {
          const parent = sub.previousElementSibling;
          closeSub(parent);
          parent.focus();
        } else if (e.key === 'Escape') {
          closeMenu();
        }
        break;
      case 'Tab':
        closeMenu();
        break;
      case 'Enter':
      case ' ':
        if (item.getAttribute('aria-haspopup')) openSub(item);
        else item.click();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  // A menu item: a button inside a list item of no role of its own (the
  // menu's children are its items, as ARIA's menu pattern asks).
  const item = (label, action, extra = {}) => {
    const b = el('button', { type: 'button', role: 'menuitem', tabindex: '-1', ...extra }, label);
    if (action) {
      b.addEventListener('click', () => {
        closeMenu({ restore: false });
        h.guard(action)();
      });
    }
    return el('li', { role: 'none' }, b);
  };

  const submenu = (label, id, fillSub) => {
    const b = el('button', { type: 'button', role: 'menuitem', tabindex: '-1', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': id, class: 'has-sub' }, label);
    const sub = el('ul', { role: 'menu', id, class: 'node-menu sub', 'aria-label': label, hidden: true });
    fillSub(sub);
    b.addEventListener('click', () => (sub.hidden ? openSub(b) : closeSub(b)));
    b.addEventListener('pointerenter', () => openSub(b, { focusFirst: false }));
    return el('li', { role: 'none', class: 'sub-holder' }, b, sub);
  };

  // countItems lists the submenu of expansions: one per type (or kind)
  // with its count, "loading" until the counts are known.
  const countItems = (sub, id, which) => {
    const counts = menu?.counts;
    if (!counts) {
      fill(sub, el('li', { role: 'none' }, el('button', { type: 'button', role: 'menuitem', tabindex: '-1', 'aria-disabled': 'true' }, t('interact.loading'))));
      return;
    }
    const rows = [...counts[which]].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (!rows.length) {
      fill(sub, el('li', { role: 'none' }, el('button', { type: 'button', role: 'menuitem', tabindex: '-1', 'aria-disabled': 'true' }, t('interact.none'))));
      return;
    }
    fill(
      sub,
      rows.map(([x, n]) =>
        item(`${which === 'types' ? h.relLabel(x) : h.kindLabel(x)} (${number(n)})`, () => expandBy(id, which === 'types' ? { type: x } : { kind: x }), {
          dataset: which === 'types' ? { type: x } : { kind: x },
        }),
      ),
    );
  };

  const openMenu = (id, { x, y, invoker }) => {
    closeMenu({ restore: false });
    const whole = h.whole();
    const name = h.nameOf(id);
    const list = el('ul', { role: 'menu', class: 'node-menu', id: 'node-menu', 'aria-label': t('interact.menu', { name }) });
    const root = el('div', { class: 'node-menu-wrap' }, list);
    menu = { root, id, invoker, counts: null };
    const subs = {}; // the submenus of expansions, filled when the counts come
    list.append(
      item(t('interact.select'), () => h.select(id, { focus: true }).then(() => h.setTab('details'))),
      whole ? null : item(t('interact.expandAll'), () => h.expand(id)),
      whole ? null : submenu(t('interact.expandType'), 'node-menu-types', (sub) => countItems((subs.types = sub), id, 'types')),
      whole ? null : submenu(t('interact.expandKind'), 'node-menu-kinds', (sub) => countItems((subs.kinds = sub), id, 'kinds')),
      submenu(t('interact.focus'), 'node-menu-focus', (sub) =>
        fill(sub, [1, 2, 3].map((n) => item(plural('interact.steps', n), async () => {
          if (state.sel !== id) await h.select(id, { keepTab: true });
          await setFocus(n);
        }, { dataset: { steps: String(n) } })),
        ist.focus ? item(t('interact.focus.off'), () => setFocus(0)) : null),
      ),
      item(t('interact.hide'), () => hide(id)),
      el('li', { role: 'separator' }),
      item(t('details.pathFrom'), () => h.startPath('from', id)),
      item(t('details.pathTo'), () => h.startPath('to', id)),
      item(t('details.partners'), () => h.select(id, { keepTab: true }).then(() => h.setTab('partners'))),
    );
    root.addEventListener('keydown', keys);
    // Inside the page's main landmark (fixed, so placed on the screen).
    (document.querySelector('main') ?? document.body).append(root);
    // Placed at the pointer (or the entity), kept on the screen; a
    // submenu opens to the left when there is no room on the right.
    const r = list.getBoundingClientRect();
    const left = Math.max(4, Math.min(x, innerWidth - r.width - 4));
    const top = Math.max(4, Math.min(y, innerHeight - r.height - 4));
    root.style.left = `${left}px`;
    root.style.top = `${top}px`;
    root.classList.toggle('flip', left + 2 * r.width > innerWidth);
    items(list)[0].focus();
    document.addEventListener('pointerdown', outside, true);
    if (!whole) {
      const mine = ++countsAsked;
      const info = h.info();
      api
        .neighbourCounts(id, info.relationTypes.map((x) => x.type), info.kinds.map((x) => x.kind))
        .then((counts) => {
          if (mine !== countsAsked || !menu || menu.id !== id) return;
          menu.counts = counts;
          for (const which of ['types', 'kinds']) {
            const sub = subs[which];
            const hadFocus = sub.contains(document.activeElement);
            countItems(sub, id, which);
            if (hadFocus) items(sub)[0]?.focus();
          }
        })
        .catch((err) => {
          closeMenu();
          h.showError(err);
        });
    }
  };

  // menuAt opens an entity's menu beside it on the graph.
  const menuAt = (id, invoker) => {
    const p = view.viewport(id);
    const box = $('graph').getBoundingClientRect();
    const at = p ? { x: box.left + p.x + 8, y: box.top + p.y + 8 } : { x: box.left + 20, y: box.top + 20 };
    if (invoker !== $('graph') && invoker) {
      const b = invoker.getBoundingClientRect();
      Object.assign(at, { x: b.left, y: b.bottom + 4 });
    }
    openMenu(id, { ...at, invoker });
  };

  // ---------- wiring ----------

  view.hooks.click = pick;
  view.hooks.doubleClick = (node, event) => (picking ? pick(node, event) : false);
  view.hooks.menu = (id, event) => {
    if (event) openMenu(id, { x: event.clientX, y: event.clientY, invoker: $('graph') });
    else menuAt(id, $('graph'));
  };
  $('graph').addEventListener('keydown', (e) => {
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault();
      if (state.sel && view.has(state.sel)) menuAt(state.sel, $('graph'));
      else say(t('interact.menu.needSelection'));
    } else if (e.key === 'Escape' && picking) {
      setPicking(false);
    }
  });
  // The browser's own menu stays away while ours is open (a right click
  // on an entity, or the key that opened ours).
  $('graph').addEventListener('contextmenu', (e) => {
    if (menu) e.preventDefault();
  });
  pickButton.addEventListener('click', () => setPicking(!picking));
  $('show-hidden').addEventListener('click', h.guard(showHidden));
  const focusSel = $('focus-steps');
  focusSel.value = String(ist.focus);
  focusSel.addEventListener('change', h.guard(() => setFocus(Number(focusSel.value))));
  renderHidden();

  // Read-only, for the browser tests: what is drawn, and where an entity
  // is on the screen.
  window.__coopgraphInteract = Object.freeze({
    shown: () => view.shown(),
    inView: () => view.ids(),
    hidden: () => [...view.hidden],
    // nodeAt is the entity sigma finds at a point of the screen.
    nodeAt: (x, y) => {
      const box = $('graph').getBoundingClientRect();
      return view.renderer?.getNodeAtPosition({ x: x - box.left, y: y - box.top }) ?? null;
    },
    viewport: (id) => {
      const p = view.viewport(id);
      if (!p) return null;
      const box = $('graph').getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
  });

  return {
    // restore replays the expansions by type or kind of the URL (after
    // main.js's start has restored the rest of the view).
    async restore() {
      if (h.whole()) return;
      for (const b of ist.by) {
        for (let i = 0; i < b.pages; i++) await expandBy(b.id, { type: b.type, kind: b.kind }, { record: false });
      }
    },
    // selected is told of a new selection: a focus follows it.
    selected() {
      if (ist.focus) return applyFocus();
      return null;
    },
    reveal,
    // menuButton is the details' way to the selected entity's menu.
    menuButton(id) {
      const b = el('button', { type: 'button', 'aria-haspopup': 'menu', id: 'node-menu-button' }, t('interact.menuButton'));
      b.addEventListener('click', () => menuAt(id, b));
      return b;
    },
    renderHidden,
  };
}
