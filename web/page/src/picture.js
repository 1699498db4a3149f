// The PNG export: the graph as drawn, with a title strip (what is shown,
// how much, the date), the legend beside it and the credit lines of the
// sources under it, so that a picture taken out of the page still says
// what it shows and whose data it is. The same words go into the PNG's
// text chunks (Title, Description, Creation Time, Copyright, Source,
// Software), which image viewers and catalogues read.

import { t } from './i18n.js';

const font = 'system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif';
const ink = '#1b1f24';
const muted = '#4f5965';
const line = '#d5dbe3';

// compose draws graph (a canvas of the graph alone) with its words; scale
// is the graph canvas's pixels per CSS pixel. legend is [[colour, label]]
// under legendTitle, with legendNote (what sizes the entities) after it.
export function compose(graph, { title, subtitle, legendTitle, legend = [], legendNote = '', credits = [], scale = 1 }) {
  const s = scale;
  const pad = 16 * s;
  const measure = document.createElement('canvas').getContext('2d');
  const sized = (px, weight = 400) => `${weight} ${Math.round(px * s)}px ${font}`;

  // The legend's column: as wide as its longest line, within bounds.
  measure.font = sized(13);
  const legendW = legend.length ? Math.min(320 * s, Math.max(160 * s, ...legend.map(([, l]) => measure.measureText(l).width + 30 * s), measure.measureText(legendNote).width + 8 * s) + pad) : 0;
  const width = graph.width + legendW;

  // Credit lines, wrapped to the picture's width.
  measure.font = sized(12);
  const creditLines = credits.flatMap((c) => wrap(measure, c, width - 2 * pad));
  const titleH = 64 * s;
  const legendH = legend.length ? (40 + 20 * legend.length + 24) * s : 0;
  const bodyH = Math.max(graph.height, legendH);
  const footH = creditLines.length ? pad + creditLines.length * 17 * s : 0;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width);
  canvas.height = Math.round(titleH + bodyH + footH);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'alphabetic';

  // Title strip.
  ctx.fillStyle = ink;
  ctx.font = sized(20, 700);
  ctx.fillText(fit(ctx, title, width - 2 * pad), pad, 30 * s);
  ctx.fillStyle = muted;
  ctx.font = sized(13);
  ctx.fillText(fit(ctx, subtitle, width - 2 * pad), pad, 52 * s);
  rule(ctx, 0, titleH - s, width, s);

  // The graph, then the legend beside it.
  ctx.drawImage(graph, 0, titleH);
  if (legend.length) {
    const x = graph.width + pad / 2;
    rule(ctx, graph.width, titleH, s, bodyH);
    let y = titleH + 26 * s;
    ctx.fillStyle = ink;
    ctx.font = sized(14, 700);
    ctx.fillText(legendTitle, x, y);
    ctx.font = sized(13);
    for (const [colour, label] of legend) {
      y += 20 * s;
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(x + 6 * s, y - 4 * s, 5.5 * s, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillStyle = ink;
      ctx.fillText(fit(ctx, label, legendW - 30 * s), x + 18 * s, y);
    }
    if (legendNote) {
      y += 24 * s;
      ctx.fillStyle = muted;
      ctx.fillText(fit(ctx, legendNote, legendW - pad), x, y);
    }
  }

  // Credit lines.
  if (creditLines.length) {
    const top = titleH + bodyH;
    rule(ctx, 0, top, width, s);
    ctx.fillStyle = muted;
    ctx.font = sized(12);
    creditLines.forEach((l, i) => ctx.fillText(l, pad, top + pad / 2 + (i + 1) * 17 * s - 4 * s));
  }
  return canvas;
}

function rule(ctx, x, y, w, h) {
  ctx.fillStyle = line;
  ctx.fillRect(x, y, w, h);
}

// fit shortens text with an ellipsis to at most max pixels.
function fit(ctx, text, max) {
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

// wrap breaks text at spaces into lines of at most max pixels.
function wrap(ctx, text, max) {
  const lines = [];
  let cur = '';
  for (const word of text.split(/\s+/)) {
    const next = cur ? `${cur} ${word}` : word;
    if (cur && ctx.measureText(next).width > max) {
      lines.push(cur);
      cur = word;
    } else {
      cur = next;
    }
  }
  if (cur) lines.push(cur);
  return lines.map((l) => fit(ctx, l, max));
}

// png encodes canvas as a PNG with texts ({keyword: text}) in text chunks
// after its header: tEXt for Latin-1 text, iTXt (UTF-8) for the rest
// (names such as Małopolska).
export async function png(canvas, texts) {
  const blob = await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(t('error.noPNG')))), 'image/png'));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  // The signature (8 bytes), then IHDR: length (4), type (4), 13 bytes of
  // data, CRC (4).
  const afterHeader = 8 + 4 + 4 + 13 + 4;
  const chunks = Object.entries(texts)
    .filter(([, v]) => v)
    .map(([k, v]) => textChunk(k, v));
  return new Blob([bytes.subarray(0, afterHeader), ...chunks, bytes.subarray(afterHeader)], { type: 'image/png' });
}

function textChunk(keyword, text) {
  const enc = new TextEncoder();
  const latin1 = /^[\u0020-\u007e\u00a0-\u00ff\n]*$/.test(text);
  let data;
  if (latin1) {
    data = Uint8Array.from([...keyword, '\0', ...text].map((c) => c.charCodeAt(0)));
    return chunk('tEXt', data);
  }
  // keyword, 0, compression flag 0, method 0, language tag "", 0,
  // translated keyword "", 0, UTF-8 text.
  const head = Uint8Array.from([...keyword].map((c) => c.charCodeAt(0)));
  const body = enc.encode(text);
  data = new Uint8Array(head.length + 5 + body.length);
  data.set(head, 0);
  data.set(body, head.length + 5);
  return chunk('iTXt', data);
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let table;

function crc32(bytes) {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
