// The graph view: the entities and relations in view, held in a graphology
// multigraph and drawn by sigma (WebGL), laid out by ForceAtlas2 run in
// short slices between frames (no web worker: the page's
// Content-Security-Policy allows none, and slices keep the page responsive).
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import Sigma from 'sigma';
import { t } from './i18n.js';
import { drawDiscNodeLabel } from 'sigma/rendering';

const faded = '#e3e7ec';
const edgeColour = '#aab4c0';
const strongEdge = '#4a5563';
const pathColour = '#c2185b';

// Above this many edges in view, edges are hidden while the camera moves.
const largeViewEdges = 1500;

// How many labels sigma draws, by the user's choice (few, some, all): at
// most labelDensity labels per cell of labelGridCellSize pixels, and none
// for an entity drawn smaller than labelRenderedSizeThreshold pixels. The
// selection and a highlighted path are labelled whatever the choice
// (forceLabel), and so are the selection's neighbours when there are at
// most forcedNeighbours of them (or all labels are asked for): around a hub
// the grid chooses among them, as forced labels would be drawn over one
// another.
const forcedNeighbours = 20;

export const labelLevels = {
  few: { labelDensity: 0.3, labelGridCellSize: 240, labelRenderedSizeThreshold: 7 },
  some: { labelDensity: 1, labelGridCellSize: 110, labelRenderedSizeThreshold: 4 },
  all: { labelDensity: 1e6, labelGridCellSize: 30, labelRenderedSizeThreshold: 0 },
};

// The margin, in pixels, the camera keeps between what it brings into
// view and the edge of the graph (and the legend's corner); on the right,
// where labels go, labelRoom more (at most a sixth of the width).
const fitPadding = 48;
const labelRoom = 140;

export class GraphView {
  // reserved() gives the box (in the container's pixels: {left, top,
  // right, bottom}) the legend covers, or null: no label is drawn under
  // it and the camera fits what it brings into view beside it.
  constructor(container, { onSelect, reserved = () => null }) {
    this.container = container;
    this.onSelect = onSelect;
    this.reserved = reserved;
    this.labelBoxes = []; // where the last frame drew labels: [x, y, width, height]
    this.reservedNow = null;
    this.picturing = false; // drawing for a picture: labels under the legend too
    this.graph = new Graph({ type: 'directed', multi: true, allowSelfLoops: true });
    this.relations = new Map(); // every relation in view, self-loops included (not drawn)
    this.selected = null;
    this.path = null; // {nodes: Set, edges: Set} highlighted
    // interact.js's hooks: click(node, event) and doubleClick(node, event)
    // return true when they took the click (picking a path's ends),
    // menu(node, event) opens a node's menu.
    this.hooks = {};
    this.hidden = new Set(); // entities the user hid: add() leaves them out
    this.only = null; // a Set: the view shows only these (focus), or null
    this.layoutRun = 0;
    this.renderer = null;
    try {
      this.renderer = new Sigma(this.graph, container, {
        renderLabels: true,
        labelFont: 'system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif',
        labelSize: 13,
        labelWeight: '600',
        labelColor: { color: '#1b1f24' },
        ...labelLevels.some,
        defaultDrawNodeLabel: (ctx, data, settings) => this.drawLabel(ctx, data, settings),
        defaultEdgeColor: edgeColour,
        zIndex: true,
        // The container is hidden while the list view is shown.
        allowInvalidContainer: true,
        minCameraRatio: 0.03,
        maxCameraRatio: 5,
        stagePadding: 40,
        nodeReducer: (node, data) => this.reduceNode(node, data),
        edgeReducer: (edge, data) => this.reduceEdge(edge, data),
      });
    } catch (err) {
      // No WebGL: the page falls back on its list view.
      this.error = err;
      return;
    }
    this.renderer.on('beforeRender', () => {
      this.labelBoxes = [];
      this.reservedNow = this.picturing ? null : this.reserved();
    });
    this.renderer.on('clickNode', ({ node, event }) => {
      if (!this.hooks.click?.(node, event.original)) this.onSelect(node);
    });
    // Two quick clicks on two entities are a double click to sigma (which
    // zooms): when picking, the second is a pick.
    this.renderer.on('doubleClickNode', ({ node, event, preventSigmaDefault }) => {
      if (this.hooks.doubleClick?.(node, event.original)) preventSigmaDefault();
    });
    this.renderer.on('rightClickNode', ({ node, event }) => {
      event.original.preventDefault();
      this.hooks.menu?.(node, event.original);
    });
    // A long press on a touch screen opens the node's menu, as a right click.
    let press = 0;
    this.renderer.on('downNode', ({ node, event }) => {
      clearTimeout(press);
      if (event.original.type === 'touchstart') press = setTimeout(() => this.hooks.menu?.(node, null), 550);
    });
    for (const ev of ['upNode', 'upStage', 'moveBody']) this.renderer.on(ev, () => clearTimeout(press));
    this.renderer.on('enterNode', () => container.classList.add('pointing'));
    this.renderer.on('leaveNode', () => container.classList.remove('pointing'));
    container.addEventListener('keydown', (e) => this.key(e));
  }

  get drawable() {
    return this.renderer !== null;
  }

  has(id) {
    return this.graph.hasNode(id);
  }

  get size() {
    return this.graph.order;
  }

  ids() {
    return this.graph.nodes();
  }

  entity(id) {
    return this.graph.hasNode(id) ? this.graph.getNodeAttributes(id) : null;
  }

  // add puts entities and relations into view; a new entity appears next to
  // near (an id in view) when given, else at a place fixed by its id. It
  // returns the ids of the entities that were not in view.
  add(entities, relations, near) {
    const added = [];
    const anchor = near && this.graph.hasNode(near) ? this.graph.getNodeAttributes(near) : null;
    const spread = anchor ? Math.max(1, Math.sqrt(this.graph.order)) : 100;
    for (const e of entities) {
      if (this.graph.hasNode(e.id) || this.hidden.has(e.id)) continue;
      const [a, b] = hashPoint(e.id);
      const x = anchor ? anchor.x + spread * a : spread * a;
      const y = anchor ? anchor.y + spread * b : spread * b;
      this.graph.addNode(e.id, { label: shorten(e.name), name: e.name, kind: e.kind, x, y, size: 5, color: '#777' });
      added.push(e.id);
      // What joins a focused view is shown: the user asked for it.
      this.only?.add(e.id);
    }
    for (const r of relations) {
      if (this.relations.has(r.id) || !this.graph.hasNode(r.fromId) || !this.graph.hasNode(r.toId)) continue;
      this.relations.set(r.id, r);
      if (r.fromId !== r.toId) this.graph.addDirectedEdgeWithKey(r.id, r.fromId, r.toId, { type: 'line', relType: r.type, size: 1 });
    }
    // Thousands of edges cost most of a frame (on a machine without a GPU
    // most of it): a large view drops them while the camera moves, as
    // sigma allows, and draws them again when it stops.
    this.renderer?.setSetting('hideEdgesOnMove', this.graph.size > largeViewEdges);
    return added;
  }

  // remove takes entities out of view with their relations.
  remove(ids) {
    for (const id of ids) {
      if (!this.graph.hasNode(id)) continue;
      this.graph.dropNode(id);
      if (this.selected === id) this.selected = null;
    }
    const gone = new Set(ids);
    for (const [key, r] of this.relations) if (gone.has(r.fromId) || gone.has(r.toId)) this.relations.delete(key);
    this.renderer?.refresh();
  }

  // showOnly shows only the entities of ids (a Set; null shows all).
  showOnly(ids) {
    this.only = ids;
    // Indexed again: what is left out must not be hit by the pointer.
    this.renderer?.refresh();
  }

  // shown lists the entities in view that are drawn (not left out by showOnly).
  shown() {
    return this.graph.nodes().filter((id) => !this.only || this.only.has(id));
  }

  // viewport gives an entity's place on the screen, in pixels from the
  // container's top left corner (null when not drawn).
  viewport(id) {
    if (!this.renderer || !this.graph.hasNode(id)) return null;
    // Where it is drawn (sigma's display data), which the graph's own
    // coordinates tell only after sigma has indexed them again.
    const d = this.renderer.getNodeDisplayData(id);
    return d ? this.renderer.framedGraphToViewport(d) : null;
  }

  clear() {
    this.graph.clear();
    this.renderer?.setSetting('hideEdgesOnMove', false);
    this.relations.clear();
    this.selected = null;
    this.path = null;
  }

  // style sets each entity's colour and size: colour(id, attrs) and
  // size(id, attrs) give them.
  style(colour, size) {
    this.graph.updateEachNodeAttributes((id, attrs) => ({ ...attrs, color: colour(id, attrs), size: size(id, attrs) }));
    this.renderer?.refresh();
  }

  select(id) {
    this.selected = id && this.graph.hasNode(id) ? id : null;
    this.renderer?.refresh({ skipIndexation: true });
  }

  highlight(nodes, edges) {
    this.path = nodes ? { nodes: new Set(nodes), edges: new Set(edges) } : null;
    this.renderer?.refresh({ skipIndexation: true });
  }

  reduceNode(node, data) {
    const out = { ...data };
    if (this.only && !this.only.has(node)) return { ...out, hidden: true };
    if (this.path) {
      if (this.path.nodes.has(node)) {
        out.forceLabel = true;
        out.zIndex = 2;
        out.size = Math.max(data.size, 8);
      } else {
        out.color = faded;
        out.label = '';
        out.zIndex = 0;
      }
    } else if (this.selected) {
      if (node === this.selected) {
        out.forceLabel = true;
        out.zIndex = 3;
        out.highlighted = true;
      } else if (this.graph.areNeighbors(node, this.selected)) {
        out.forceLabel = this.labelLevel === 'all' || this.graph.neighbors(this.selected).length <= forcedNeighbours;
        out.zIndex = 2;
      } else {
        out.color = faded;
        out.label = '';
        out.zIndex = 0;
      }
    }
    if (node === this.selected) out.highlighted = true;
    return out;
  }

  reduceEdge(edge, data) {
    const out = { ...data };
    if (this.only && !this.graph.extremities(edge).every((n) => this.only.has(n))) return { ...out, hidden: true };
    if (this.path) {
      if (this.path.edges.has(edge)) {
        out.color = pathColour;
        out.size = 3;
        out.zIndex = 2;
      } else {
        out.hidden = true;
      }
    } else if (this.selected) {
      const [s, t] = this.graph.extremities(edge);
      if (s === this.selected || t === this.selected) {
        out.color = strongEdge;
        out.size = 1.5;
        out.zIndex = 1;
      } else {
        out.color = faded;
      }
    }
    return out;
  }

  // layout runs ForceAtlas2 for about iterations steps, a slice per frame,
  // and resolves when done (or when a newer layout replaced it).
  layout(iterations) {
    const run = ++this.layoutRun;
    const n = this.graph.order;
    if (n === 0) return Promise.resolve();
    const settings = {
      ...forceAtlas2.inferSettings(this.graph),
      scalingRatio: n < 500 ? 30 : 10,
      barnesHutOptimize: n > 600,
      outboundAttractionDistribution: true,
      adjustSizes: false,
    };
    const slice = Math.max(1, Math.min(iterations, Math.floor(200_000 / (n + this.graph.size))));
    let done = 0;
    return new Promise((resolve) => {
      const step = () => {
        if (run !== this.layoutRun) return resolve();
        const k = Math.min(slice, iterations - done);
        forceAtlas2.assign(this.graph, { iterations: k, settings });
        done += k;
        if (done >= iterations) {
          this.renderer?.refresh();
          return resolve();
        }
        requestAnimationFrame(step);
      };
      step();
    });
  }

  // show redraws the graph when its container is shown again.
  show() {
    this.renderer?.resize();
    this.renderer?.refresh();
  }

  // fit brings the whole view onto the screen.
  fit() {
    this.fitTo(this.graph.nodes());
  }

  // focus brings an entity and its neighbours in view onto the screen.
  focus(id) {
    if (!this.graph.hasNode(id)) return;
    this.fitTo([id, ...this.graph.neighbors(id)]);
  }

  // fitTo moves the camera so that the entities ids (those in view) fill
  // the graph but for a margin and the legend's corner: animated, unless
  // the user asked for less motion. One entity alone is zoomed to no
  // closer than the camera already is or 0.6 of the whole.
  fitTo(ids) {
    if (!this.renderer) return;
    const target = this.fitState(ids);
    if (!target) return;
    const camera = this.renderer.getCamera();
    if (reducedMotion()) {
      camera.setState(target);
    } else {
      camera.animate(target, { duration: 400 });
    }
  }

  // fitState is the camera state that fitTo(ids) moves to, or null when
  // none of ids is in view.
  fitState(ids) {
    const r = this.renderer;
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    let n = 0;
    for (const id of ids) {
      const d = this.graph.hasNode(id) ? r.getNodeDisplayData(id) : null;
      if (!d) continue;
      n++;
      x1 = Math.min(x1, d.x);
      y1 = Math.min(y1, d.y);
      x2 = Math.max(x2, d.x);
      y2 = Math.max(y2, d.y);
    }
    if (!n) return null;
    const { width, height } = r.getDimensions();
    if (!width || !height) return null;
    const area = this.fitArea(width, height);
    const centre = { x: (x1 + x2) / 2, y: (y1 + y2) / 2, angle: 0, ratio: 1 };
    // The box's size in pixels at ratio 1; the camera's ratio scales it.
    const a = r.framedGraphToViewport({ x: x1, y: y1 }, { cameraState: centre });
    const b = r.framedGraphToViewport({ x: x2, y: y2 }, { cameraState: centre });
    const w = Math.abs(b.x - a.x);
    const h = Math.abs(b.y - a.y);
    const settings = r.getSettings();
    let ratio = Math.max(w / Math.max(1, area.right - area.left), h / Math.max(1, area.bottom - area.top));
    if (n === 1) ratio = Math.min(r.getCamera().ratio, 0.6);
    ratio = Math.min(settings.maxCameraRatio ?? 5, Math.max(settings.minCameraRatio ?? 0.03, ratio, 0.05));
    // The camera's centre is the viewport's: move it so that the box's
    // centre lands in the middle of the area left for it.
    const state = { ...centre, ratio };
    const dx = (area.left + area.right) / 2 - width / 2;
    const dy = (area.top + area.bottom) / 2 - height / 2;
    const c = r.viewportToFramedGraph({ x: width / 2 - dx, y: height / 2 - dy }, { cameraState: state });
    return { ...state, x: c.x, y: c.y };
  }

  // fitArea is the part of the graph (in pixels) the camera fits things
  // into: all of it but a margin and the legend's corner, cut off along
  // the side that loses the less.
  fitArea(width, height) {
    const whole = { left: fitPadding, top: fitPadding / 2, right: width - fitPadding - Math.min(labelRoom, width / 6), bottom: height - fitPadding / 2 };
    const area = { ...whole };
    const leg = this.reserved();
    if (!leg) return area;
    const lw = leg.right - leg.left;
    const lh = leg.bottom - leg.top;
    // Cutting beside the legend costs its width times the height, cutting
    // above it its height times the width.
    const beside = lw * height <= lh * width;
    const leftSide = leg.left < width / 2;
    const topSide = leg.top < height / 2;
    if (beside) {
      if (leftSide) area.left = Math.max(area.left, leg.right + fitPadding / 2);
      else area.right = Math.min(area.right, leg.left - fitPadding / 2);
    } else if (topSide) {
      area.top = Math.max(area.top, leg.bottom + fitPadding / 2);
    } else {
      area.bottom = Math.min(area.bottom, leg.top - fitPadding / 2);
    }
    // A legend wider or taller than the graph leaves it as it is.
    if (area.right - area.left < 80 || area.bottom - area.top < 80) return whole;
    return area;
  }

  // setLabels chooses how many labels are drawn: few, some or all.
  setLabels(level) {
    this.labelLevel = level;
    if (!this.renderer) return;
    this.renderer.setSettings(labelLevels[level] ?? labelLevels.some);
    this.renderer.refresh();
  }

  // drawLabel draws a label as sigma does, unless it would fall under the
  // legend; it counts the labels drawn.
  drawLabel(ctx, data, settings) {
    if (!data.label) return;
    const size = settings.labelSize;
    ctx.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    // The box sigma's drawDiscNodeLabel fills: right of the disc, centred
    // on it.
    const box = [data.x + data.size + 3, data.y - size / 2 - 2, ctx.measureText(data.label).width, size + 4];
    const leg = this.reservedNow;
    if (leg && box[0] < leg.right && box[0] + box[2] > leg.left && box[1] < leg.bottom && box[1] + box[3] > leg.top) return;
    this.labelBoxes.push(box);
    drawDiscNodeLabel(ctx, data, settings);
  }

  // positions gives where entities are on the screen, in the graph's
  // pixels, with the graph's size (for the browser tests).
  positions(ids) {
    if (!this.renderer) return null;
    const { width, height } = this.renderer.getDimensions();
    const out = {};
    for (const id of ids) {
      const d = this.graph.hasNode(id) ? this.renderer.getNodeDisplayData(id) : null;
      if (d) out[id] = this.renderer.framedGraphToViewport(d);
    }
    return { width, height, at: out };
  }

  key(e) {
    if (!this.renderer) return;
    const camera = this.renderer.getCamera();
    const state = camera.getState();
    const step = 0.1 * state.ratio;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) {
      camera.animate({ x: state.x + moves[e.key][0], y: state.y + moves[e.key][1] }, { duration: 100 });
    } else if (e.key === '+' || e.key === '=') {
      camera.animatedZoom({ duration: 150 });
    } else if (e.key === '-' || e.key === '_') {
      camera.animatedUnzoom({ duration: 150 });
    } else if (e.key === '0') {
      this.fit();
    } else {
      return;
    }
    e.preventDefault();
  }

  // visible lists the entities and relations in view, for the exports.
  visible() {
    const nodes = this.graph.mapNodes((id, a) => ({ id, name: a.name, kind: a.kind, x: a.x, y: a.y, color: a.color, size: a.size }));
    const edges = [...this.relations.values()].map((r) => ({
      id: r.id,
      type: r.type,
      from: r.fromId,
      to: r.toId,
      role: r.role,
      start: r.start,
      end: r.end,
      document: r.document,
      quote: r.quote,
    }));
    nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    edges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { nodes, edges };
  }

  // snapshot draws the view on white, its layers in order, on a canvas of
  // the graph's size in device pixels; scale is its pixels per CSS pixel.
  snapshot() {
    if (!this.renderer) throw new Error(t('error.noGraph'));
    // A WebGL canvas keeps its picture only until the frame is shown:
    // draw now and copy at once. The picture has its legend beside the
    // graph, so the labels the page hides under its legend are drawn.
    this.picturing = true;
    try {
      this.renderer.refresh();
    } finally {
      this.picturing = false;
    }
    const layers = Object.values(this.renderer.getCanvases());
    const { width, height } = layers[0];
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    for (const layer of layers) ctx.drawImage(layer, 0, 0, width, height);
    this.redraw();
    return { canvas, scale: width / (this.renderer.getDimensions().width || width) };
  }

  // redraw draws the view again as it is (after the legend opened or
  // closed, which changes where labels may go).
  redraw() {
    this.renderer?.refresh({ skipIndexation: true });
  }
}

// reducedMotion: the user asked for less motion, and the camera jumps
// instead of gliding.
function reducedMotion() {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

// hashPoint gives each id a fixed point in [-1, 1]², so that the same
// network is laid out the same way every time.
function hashPoint(id) {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
  }
  return [((h1 >>> 0) / 0xffffffff) * 2 - 1, ((h2 >>> 0) / 0xffffffff) * 2 - 1];
}

// shorten keeps labels on the canvas legible; the full name is in the
// details, the list and the exports.
function shorten(name) {
  return name.length > 36 ? `${name.slice(0, 34).trimEnd()}…` : name;
}
