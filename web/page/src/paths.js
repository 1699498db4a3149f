// The path finder's answer: every shortest path between two entities drawn
// as one layered subgraph (the start on the left, the end on the right,
// each entity in the column of its distance from the start), the paths
// listed below it a page at a time, and the alternatives, the k shortest
// routes that are not among the shortest ones.
//
// A route is a sequence of entities. Parallel relations between the same
// two entities (a partnership stated by two documents, a member that also
// coordinates) are one hop listing its sources, never two paths on the
// list: allShortestPaths gives one path per combination of relations, so
// the list merges the paths of one route (the API's pathCount still counts
// them apart, and so does "N of M").
import * as api from './api.js';
import { number, plural, t } from './i18n.js';
import { pager } from './paging.js';
import { roleLabel } from './words.js';

// Routes the list shows at first and adds per "Show more".
const listPage = 10;
// Paths asked of allShortestPaths at first and added per further fetch.
const fetchPage = 60;
// kShortestPaths gives at most this many routes.
const maxK = 100;
// The drawing's row height range (px): below the least, a layer does not
// fit the view and the drawing shows the listed routes only.
const minRow = 14;
const maxRow = 44;
const labelFont = '600 12px system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif';
const svgNS = 'http://www.w3.org/2000/svg';

// routeKey names a path's route: its entities in order.
export function routeKey(p) {
  return p.nodes.map((n) => n.id).join('\u0000');
}

// multiplicity is how many of allShortestPaths' paths a route stands for:
// the product of its hops' parallel relations.
function multiplicity(p) {
  return p.hops?.reduce((m, h) => m * Math.max(1, h.relations.length), 1) ?? 1;
}

// routes merges paths of the same route (consecutive in allShortestPaths'
// order, but not across fetches), keeping the first.
function routes(paths) {
  const seen = new Set();
  const out = [];
  for (const p of paths) {
    const key = routeKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

// hopOf gives a path's hop i: its relations (every parallel one; the
// path's own relation when the API gave no hops).
function hopRelations(p, i) {
  return p.hops?.[i]?.relations?.length ? p.hops[i].relations : [p.relations[i]];
}

// createPaths makes the path finder's answer; ctx gives what it needs of
// the page (main.js): el, fill, state, view(), busy, remember, relLabel,
// kindColour, dates, source, select, addEntities, whole(), showError.
export function createPaths(ctx) {
  const { el, fill } = ctx;
  let res = null; // the last answer (see find)
  let drawing = true; // the layered drawing is shown (the user may hide it)
  let focusRoute = null; // the route the drawing emphasises
  let resizeTimer = 0;

  const stage = document.querySelector('.canvas-wrap');
  const box = el('div', { id: 'path-view', class: 'path-view', hidden: true });
  stage?.append(box);
  if (typeof ResizeObserver === 'function' && stage) {
    new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => draw(), 120);
    }).observe(stage);
  }

  // relWords writes a hop's relations: "member of / coordinator of" with
  // a role that says more than the type.
  function relWords(rels) {
    const labels = [];
    for (const r of rels) {
      const role = r.role && !r.type.toLowerCase().includes(r.role.toLowerCase().replace(/\s+/g, '_')) ? r.role : '';
      const label = ctx.relLabel(r.type) + (role ? ` (${roleLabel(role)})` : '');
      if (!labels.includes(label)) labels.push(label);
    }
    return labels.join(' / ');
  }

  // words writes a path as a sentence, "Opolskie — member of → Dom Polski
  // Południowej ← member of — Małopolskie", each hop once with the types
  // of all its parallel relations.
  function words(p) {
    let s = p.nodes[0].name;
    p.relations.forEach((r, i) => {
      const label = relWords(hopRelations(p, i));
      s += r.fromId === p.nodes[i].id ? ` — ${label} → ` : ` ← ${label} — `;
      s += p.nodes[i + 1].name;
    });
    return s;
  }

  // find asks for the paths with the options in ctx.state and shows them.
  async function find() {
    const s = ctx.state;
    if (!s.from || !s.to) {
      res = null;
      ctx.view().highlight(null);
      fill(document.getElementById('path-result'), el('p', { class: 'note' }, t('path.need')));
      show();
      return;
    }
    const opts = { from: s.from, to: s.to, k: s.k, maxHops: s.hops, avoid: s.avoid, year: s.year, relationTypes: s.types };
    const out = await ctx
      .busy('paths', t('busy.paths'), async (signal) => {
        const { sub, all } = await api.shortestPaths(opts, fetchPage, { signal });
        const r = { opts, sub, all, shownRoutes: listPage, alternatives: [], kAsked: 0, kLimited: false };
        if (sub && opts.k > 0) await alternatives(r, signal);
        return r;
      })
      .catch((err) => {
        if (api.aborted(err)) return null; // cancelled: the last paths stay
        throw err;
      });
    if (!out) return;
    res = out;
    focusRoute = null;
    drawing = true;
    for (const p of [...res.all, ...res.alternatives]) ctx.remember(p.nodes);
    if (res.sub) ctx.remember(res.sub.layers.flatMap((l) => l.entities));
    // On a large network the paths' entities join the view.
    if (!ctx.whole()) {
      const ids = new Set([...res.all, ...res.alternatives].flatMap((p) => p.nodes.map((n) => n.id)));
      for (const l of res.sub?.layers ?? []) for (const e of l.entities) ids.add(e.id);
      if ([...ids].some((id) => !ctx.view().has(id))) await ctx.addEntities([...ids], s.from);
    }
    highlightShortest();
    render();
  }

  // alternatives asks kShortestPaths for the routes beyond the shortest:
  // it gives the shortest routes first, so it is asked for as many more
  // as there are shortest routes (pathCount when not all are listed: it
  // counts parallel relations apart, so it is never fewer), at most maxK.
  async function alternatives(r, signal) {
    const known = r.all.length >= r.sub.pathCount ? routes(r.all).length : r.sub.pathCount;
    r.kAsked = Math.min(maxK, known + r.opts.k);
    r.kLimited = known + r.opts.k > maxK;
    const ks = await api.kPaths(r.opts, r.kAsked, signal);
    const shortest = new Set(r.all.map(routeKey));
    r.alternatives = ks.filter((p) => p.length > r.sub.length && !shortest.has(routeKey(p))).slice(0, r.opts.k);
  }

  // more shows the next page of the list, asking for more paths when the
  // listed ones run out.
  async function more() {
    if (!res) return;
    const r = res;
    const want = r.shownRoutes + listPage;
    if (routes(r.all).length < want && r.all.length < Math.min(r.sub.pathCount, api.maxListedPaths)) {
      const first = Math.min(api.maxListedPaths, r.all.length + fetchPage * 2);
      const { all } = await ctx.busy('paths', t('busy.paths'), (signal) => api.shortestPaths(r.opts, first, { withSub: false, signal }));
      if (res !== r) return;
      r.all = all;
      ctx.remember(all.flatMap((p) => p.nodes));
    }
    r.shownRoutes = want;
    render();
    // The keyboard continues at the first route added.
    document.querySelectorAll('#path-result .paths.shortest > li')[want - listPage]?.querySelector('button')?.focus();
  }

  // highlightShortest highlights every shortest path in the network view:
  // their subgraph.
  function highlightShortest() {
    focusRoute = null;
    const sub = res?.sub;
    if (!sub) {
      highlight(null);
      return;
    }
    ctx.view().highlight(
      sub.layers.flatMap((l) => l.entities.map((e) => e.id)),
      sub.links.flatMap((l) => l.relations.map((r) => r.id)),
    );
    ctx.view().fitTo(sub.layers.flatMap((l) => l.entities.map((e) => e.id)));
    draw();
  }

  function highlight(paths) {
    if (!paths?.length) {
      ctx.view().highlight(null);
      return;
    }
    ctx.view().highlight(
      paths.flatMap((p) => p.nodes.map((n) => n.id)),
      paths.flatMap((p) => p.relations.flatMap((_, i) => hopRelations(p, i).map((h) => h.id))),
    );
    ctx.view().fitTo(paths.flatMap((p) => p.nodes.map((n) => n.id)));
  }

  // highlightRoute emphasises one route, in the network and the drawing.
  function highlightRoute(p) {
    focusRoute = p;
    highlight([p]);
    draw();
  }

  // ---------- the list ----------

  function pathItem(p) {
    const n = multiplicity(p);
    return el(
      'li',
      {},
      el('p', { class: 'words' }, words(p)),
      el(
        'div',
        { class: 'path-meta' },
        el('span', {}, plural('path.hops', p.length)),
        n > 1 ? el('span', {}, plural('path.parallel', n)) : null,
        el('button', { type: 'button', class: 'small', onclick: () => highlightRoute(p) }, t('path.show')),
      ),
      el(
        'details',
        { class: 'hops' },
        el('summary', {}, t('path.sources')),
        el(
          'ol',
          {},
          p.relations.map((r, i) => {
            const rels = hopRelations(p, i);
            return el(
              'li',
              { class: 'hop' },
              el('span', { class: 'hop-words' }, words({ nodes: p.nodes.slice(i, i + 2), relations: [r], hops: [{ relations: rels }] })),
              rels.length > 1 ? el('span', { class: 'meta' }, ` · ${plural('path.sourcesCount', rels.length)}`) : null,
              el(
                'ul',
                { class: 'hop-sources' },
                // ctx.source takes the relation: its document by title (source), its quote.
                rels.map((h) => el('li', {}, el('span', {}, ctx.relLabel(h.type)), h.role ? el('span', { class: 'meta' }, ` (${roleLabel(h.role)})`) : null, h.start || h.end ? el('span', { class: 'meta' }, ` · ${ctx.dates(h)}`) : null, ctx.source(h))),
              ),
            );
          }),
        ),
      ),
    );
  }

  function render() {
    const out = document.getElementById('path-result');
    if (!res) {
      fill(out);
      show();
      return;
    }
    if (!res.sub || !res.all.length) {
      fill(out, el('p', { class: 'note' }, t('path.none')));
      show();
      return;
    }
    const r = res;
    const listed = routes(r.all);
    const shown = listed.slice(0, r.shownRoutes);
    const shownPaths = shown.reduce((s, p) => s + multiplicity(p), 0);
    const entities = r.sub.layers.reduce((s, l) => s + l.entities.length, 0);
    const allListed = r.all.length >= r.sub.pathCount;
    const capped = !allListed && r.all.length >= api.maxListedPaths;
    const moreLeft = shown.length < listed.length || (!allListed && !capped);
    const altHead = r.opts.k > 0 ? alternativesHead(r) : null;
    fill(out,
      el(
        'div',
        { class: 'path-head' },
        el('h3', { id: 'path-shortest-head', class: 'sub' }, plural('path.shortestHead', r.sub.pathCount, {
          paths: plural('count.shortestPaths', r.sub.pathCount),
          hops: plural('path.hops', r.sub.length),
          e: plural('count.entities', entities),
        })),
        el('button', { type: 'button', class: 'small', onclick: highlightShortest }, t('path.show')),
      ),
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'path-drawing', 'aria-pressed': drawing ? 'true' : 'false', onclick: () => setDrawing(!drawing) }, t('path.drawing')),
        el('button', { type: 'button', id: 'export-paths', onclick: exportCSV }, t('export.csv')),
      ),
      listed.length < r.all.length ? el('p', { class: 'note' }, t('path.merged')) : null,
      el('ol', { class: 'paths shortest', 'aria-labelledby': 'path-shortest-head' }, shown.map(pathItem)),
      pager({ id: 'path-pager', shown: Math.min(shownPaths, r.sub.pathCount), total: r.sub.pathCount, pageSize: listPage, hasMore: moreLeft, more, onError: ctx.showError }),
      capped && shown.length >= listed.length ? el('p', { class: 'note' }, t('path.capped', { m: number(api.maxListedPaths) })) : null,
      altHead,
      r.alternatives.length ? el('ol', { class: 'paths alternatives', 'aria-labelledby': 'path-alt-head' }, r.alternatives.map(pathItem)) : null,
    );
    show();
  }

  // alternativesHead says how many routes beyond the shortest were found
  // of the k asked, and why fewer when fewer.
  function alternativesHead(r) {
    const found = r.alternatives.length;
    const head = el('h3', { id: 'path-alt-head', class: 'sub' }, t('path.alternativesOf', { routes: plural('count.routes', found), k: number(r.opts.k) }));
    if (found >= r.opts.k) return head;
    const why = r.kLimited ? t('path.altLimited', { max: number(maxK) }) : t('path.altFewer');
    return [head, el('p', { class: 'note', id: 'path-alt-note' }, why)];
  }

  function exportCSV() {
    if (!res) return;
    const row = (set) => (p) => [set, p.length, words(p), p.nodes.map((n) => n.id).join(' ')];
    ctx.download(`coopgraph-paths-${res.opts.from}-${res.opts.to}.csv`, ctx.csv(['set', 'length', 'path', 'ids'], [...routes(res.all).map(row('shortest')), ...res.alternatives.map(row('alternative'))]));
  }

  // ---------- the layered drawing ----------

  function setDrawing(on) {
    drawing = on;
    document.getElementById('path-drawing')?.setAttribute('aria-pressed', on ? 'true' : 'false');
    show();
  }

  // show shows the drawing over the network while the path tab has an
  // answer to draw (and the user has not hidden it).
  function show() {
    const on = ctx.state.tab === 'path' && drawing && !!res?.sub && res.all.length > 0;
    box.hidden = !on;
    if (on) draw();
  }

  // layers gives the drawing's layers: the whole subgraph when its largest
  // layer fits the view's height, else the listed routes' entities only
  // (said so under the drawing).
  function layers(height) {
    const sub = res.sub;
    const fits = Math.max(...sub.layers.map((l) => l.entities.length)) * minRow <= height;
    if (fits) {
      return { whole: true, layers: sub.layers.map((l) => l.entities), links: sub.links.map((l) => [l.from.id, l.to.id]) };
    }
    const shown = routes(res.all).slice(0, res.shownRoutes);
    const ls = sub.layers.map(() => new Map());
    const links = new Map();
    for (const p of shown) {
      p.nodes.forEach((n, i) => ls[i]?.set(n.id, n));
      for (let i = 0; i + 1 < p.nodes.length; i++) links.set(`${p.nodes[i].id} ${p.nodes[i + 1].id}`, [p.nodes[i].id, p.nodes[i + 1].id]);
    }
    return { whole: false, layers: ls.map((m) => [...m.values()]), links: [...links.values()] };
  }

  // order sorts each layer by the mean place of its entities' neighbours
  // in the layer before (the barycentre heuristic), which uncrosses most
  // links in one sweep.
  function order(ls, links) {
    const before = new Map();
    for (const [a, b] of links) {
      if (!before.has(b)) before.set(b, []);
      before.get(b).push(a);
    }
    const place = new Map();
    return ls.map((layer, i) => {
      const key = (e) => {
        const ps = (before.get(e.id) ?? []).map((id) => place.get(id)).filter((x) => x !== undefined);
        return ps.length ? ps.reduce((s, x) => s + x, 0) / ps.length : 0;
      };
      const sorted = i === 0 ? [...layer] : [...layer].sort((a, b) => key(a) - key(b) || (a.name < b.name ? -1 : 1));
      sorted.forEach((e, j) => place.set(e.id, (j + 0.5) / sorted.length));
      return sorted;
    });
  }

  let measure = null;
  function textWidth(text) {
    measure ??= document.createElement('canvas').getContext('2d');
    if (!measure) return text.length * 7;
    measure.font = labelFont;
    return measure.measureText(text).width;
  }

  // fitText cuts a name to width at its end ("Stuttgard Region Eco…"),
  // or by its middle when it ends with a number, which tells apart names
  // that start alike ("H2020 proj…209717"): the full name is the node's
  // tooltip and in the list.
  function fitText(text, width) {
    if (textWidth(text) <= width) return text;
    let lo = 0;
    let hi = text.length;
    const cut = /\d{3,}$/.test(text)
      ? (n) => `${text.slice(0, Math.ceil(n / 2)).trimEnd()}…${text.slice(text.length - Math.floor(n / 2)).trimStart()}`
      : (n) => `${text.slice(0, n).trimEnd()}…`;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (textWidth(cut(mid)) <= width) lo = mid;
      else hi = mid - 1;
    }
    return lo > 0 ? cut(lo) : '…';
  }

  // columns shares width among the layers by what their longest names
  // need: when they do not all fit, the widest are cut to one cap (the
  // largest that fits), so a layer of short names gives its room to one
  // of long ones.
  function columns(ls, width) {
    const gap = 24; // the node and the space after its label
    const need = ls.map((l) => gap + Math.max(...l.map((e) => textWidth(e.name))));
    const total = need.reduce((s, x) => s + x, 0);
    if (total <= width) {
      const spare = (width - total) / ls.length;
      return need.map((x) => x + spare);
    }
    let lo = gap;
    let hi = Math.max(...need);
    for (let i = 0; i < 30; i++) {
      const c = (lo + hi) / 2;
      if (need.reduce((s, x) => s + Math.min(x, c), 0) <= width) lo = c;
      else hi = c;
    }
    return need.map((x) => Math.min(x, lo));
  }

  function svg(tag, attrs = {}, ...children) {
    const e = document.createElementNS(svgNS, tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return e;
  }

  function draw() {
    if (box.hidden || !res?.sub) return;
    const width = Math.max(320, box.clientWidth - 20); // within its padding
    const head = el(
      'div',
      { class: 'path-view-head' },
      el('p', { class: 'path-view-title' }, t('path.drawingTitle', { from: res.all[0].nodes[0].name, to: res.all[0].nodes.at(-1).name })),
      el('button', { type: 'button', class: 'small', id: 'path-view-close', onclick: () => setDrawing(false) }, t('path.drawingHide')),
    );
    fill(box, head);
    const height = Math.max(200, box.clientHeight - head.offsetHeight - 48);
    const { whole, layers: raw, links } = layers(height);
    const ls = order(raw, links);
    const rows = Math.max(...ls.map((l) => l.length));
    const row = Math.max(minRow, Math.min(maxRow, height / Math.max(1, rows)));
    const h = Math.max(row * rows, 120);
    const pad = 14;
    const cols = columns(ls, width - 2 * pad);
    const at = new Map();
    let left = pad;
    ls.forEach((layer, i) => {
      const top = (h - row * layer.length) / 2;
      layer.forEach((e, j) => at.set(e.id, { x: left + 6, y: top + (j + 0.5) * row, layer: i, col: cols[i], e }));
      left += cols[i];
    });
    const on = focusRoute ? new Set(focusRoute.nodes.map((n) => n.id)) : null;
    const onLink = focusRoute ? new Set(focusRoute.nodes.slice(1).map((n, i) => `${focusRoute.nodes[i].id} ${n.id}`)) : null;
    const edges = links.map(([a, b]) => {
      const p = at.get(a);
      const q = at.get(b);
      if (!p || !q) return null;
      const hot = onLink?.has(`${a} ${b}`);
      return svg('line', { x1: p.x, y1: p.y, x2: q.x, y2: q.y, class: hot ? 'pv-link on' : on ? 'pv-link off' : 'pv-link' });
    });
    const nodes = [...at.values()].map(({ x, y, layer, col, e }) => {
      const dim = on && !on.has(e.id);
      const label = fitText(e.name, col - 22);
      return svg(
        'g',
        { class: dim ? 'pv-node off' : 'pv-node', 'data-id': e.id, 'data-layer': layer, transform: `translate(${x.toFixed(1)},${y.toFixed(1)})` },
        svg('title', {}, `${e.name} (${ctx.kindLabel(e.kind)})`),
        svg('circle', { r: layer === 0 || layer === ls.length - 1 ? 7 : 5, fill: ctx.kindColour(e.kind) }),
        svg('text', { x: 10, y: 4 }, label),
      );
    });
    const picture = svg(
      'svg',
      { class: 'pv', width, height: h, viewBox: `0 0 ${width} ${h}`, role: 'img', 'aria-labelledby': 'path-view-desc' },
      svg('desc', { id: 'path-view-desc' }, t('path.drawingDesc', { layers: number(ls.length), e: plural('count.entities', at.size) })),
      svg('g', { class: 'pv-links' }, edges),
      svg('g', { class: 'pv-nodes' }, nodes),
    );
    box.append(picture);
    box.append(el('p', { class: 'note path-view-note' }, whole ? t('path.drawingWhole', { paths: plural('count.shortestPaths', res.sub.pathCount) }) : t('path.drawingPart', { routes: plural('count.routes', Math.min(res.shownRoutes, routes(res.all).length)), paths: plural('count.shortestPaths', res.sub.pathCount) })));
  }

  // layout reports where the drawing put each entity, in page pixels,
  // for the browser tests: {id, layer, x, y, label: {left, right, top,
  // bottom}}.
  function layout() {
    return [...box.querySelectorAll('g.pv-node')].map((g) => {
      const c = g.querySelector('circle').getBoundingClientRect();
      const l = g.querySelector('text').getBoundingClientRect();
      return { id: g.dataset.id, layer: Number(g.dataset.layer), x: c.x + c.width / 2, y: c.y + c.height / 2, label: { left: l.left, right: l.right, top: l.top, bottom: l.bottom } };
    });
  }

  function clear() {
    res = null;
    focusRoute = null;
    ctx.view().highlight(null);
    render();
  }

  return {
    find,
    render,
    show,
    clear,
    highlightShortest,
    layout,
    // hideDrawing takes the layered drawing off the network, so that clicks
    // reach the network under it (picking two entities on the graph).
    hideDrawing: () => setDrawing(false),
    get last() {
      return res;
    },
  };
}
