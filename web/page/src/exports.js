// Exports made in the browser from what the page shows: CSV of a table,
// GraphML and GEXF of the entities and relations in view, PNG of the graph.
// Nothing is sent anywhere: the file is handed to the browser as a download.

export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// safeCell neutralises a text cell a spreadsheet could run as a formula
// (OWASP's rule, the one coopgraph's Go CSV writers apply: export.SafeCell):
// a cell starting with =, +, -, @, a tab or a carriage return — names and
// quotes come from datasets, and =HYPERLINK(…) would send the reader's data
// away — gets a leading ', which spreadsheets take as "text" and do not
// show; one starting with ' gets another, so that the rule can be undone.
export function safeCell(s) {
  return /^[=+\-@\t\r']/.test(s) ? `'${s}` : s;
}

// csv writes rows (arrays of cells) under header as RFC 4180 CSV, with a
// byte-order mark so that spreadsheet programs read the diacritics right.
// Text cells are neutralised (safeCell); numbers (ranks, lengths, scores)
// are the page's own and stay numbers, a negative one too.
export function csv(header, rows) {
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : safeCell(String(v));
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [header, ...rows].map((r) => r.map(cell).join(','));
  return new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
}

// XML text: escaped, without the characters XML 1.0 cannot hold.
function xml(s) {
  return String(s ?? '')
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const nodeAttrs = ['name', 'kind'];
const edgeAttrs = ['type', 'role', 'start', 'end', 'document', 'documentTitle', 'documentPublisher', 'documentUrl', 'quote'];

// withSources gives each edge its document's title, publisher and address
// from documents (the API's Query.documents), beside its document id and
// quote, so that an export keeps where each relation is stated.
function withSources(edges, documents = []) {
  const byID = new Map(documents.map((d) => [d.id, d]));
  return edges.map((e) => {
    const d = e.document ? byID.get(e.document) : null;
    return d ? { ...e, documentTitle: d.title, documentPublisher: d.publisher, documentUrl: d.url } : e;
  });
}

// graphML writes nodes ({id, name, kind}) and edges ({id, type, from, to,
// role, start, end, document, quote}) as a directed GraphML graph,
// relations as the sources state them, each with its document's title,
// publisher and address (documents: the API's Query.documents).
export function graphML(nodes, edges, documents) {
  edges = withSources(edges, documents);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  for (const a of nodeAttrs) out.push(`  <key id="${a}" for="node" attr.name="${a}" attr.type="string"/>`);
  for (const a of edgeAttrs) out.push(`  <key id="${a}" for="edge" attr.name="${a}" attr.type="string"/>`);
  out.push('  <graph id="coopgraph" edgedefault="directed">');
  for (const n of nodes) {
    out.push(`    <node id="${xml(n.id)}">${nodeAttrs.map((a) => `<data key="${a}">${xml(n[a])}</data>`).join('')}</node>`);
  }
  for (const e of edges) {
    const data = edgeAttrs.filter((a) => e[a]).map((a) => `<data key="${a}">${xml(e[a])}</data>`).join('');
    out.push(`    <edge id="${xml(e.id)}" source="${xml(e.from)}" target="${xml(e.to)}">${data}</edge>`);
  }
  out.push('  </graph>', '</graphml>', '');
  return new Blob([out.join('\n')], { type: 'application/graphml+xml' });
}

// gexf writes the same as GEXF 1.3 for Gephi, with each node's position,
// colour and size as the page draws them.
export function gexf(nodes, edges, documents) {
  edges = withSources(edges, documents);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
    '  <meta><creator>coopgraph</creator><description>The entities and relations in view</description></meta>',
    '  <graph defaultedgetype="directed" mode="static">',
    '    <attributes class="node">',
    '      <attribute id="kind" title="kind" type="string"/>',
    '    </attributes>',
    '    <attributes class="edge">',
  ];
  for (const a of edgeAttrs) out.push(`      <attribute id="${a}" title="${a}" type="string"/>`);
  out.push('    </attributes>', '    <nodes>');
  for (const n of nodes) {
    const [r, g, b] = rgb(n.color);
    out.push(
      `      <node id="${xml(n.id)}" label="${xml(n.name)}"><attvalues><attvalue for="kind" value="${xml(n.kind)}"/></attvalues>` +
        `<viz:color r="${r}" g="${g}" b="${b}"/><viz:position x="${num(n.x)}" y="${num(-n.y)}" z="0"/><viz:size value="${num(n.size)}"/></node>`,
    );
  }
  out.push('    </nodes>', '    <edges>');
  for (const e of edges) {
    const vals = edgeAttrs.filter((a) => e[a]).map((a) => `<attvalue for="${a}" value="${xml(e[a])}"/>`).join('');
    out.push(`      <edge id="${xml(e.id)}" source="${xml(e.from)}" target="${xml(e.to)}" label="${xml(e.type)}"><attvalues>${vals}</attvalues></edge>`);
  }
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return new Blob([out.join('\n')], { type: 'application/gexf+xml' });
}

function num(x) {
  return Number.isFinite(x) ? Number(x.toFixed(4)) : 0;
}

function rgb(hex) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  return m ? m.slice(1).map((h) => parseInt(h, 16)) : [128, 128, 128];
}
