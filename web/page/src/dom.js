// The page's two DOM helpers, shared by main.js and its modules.

// The SVG elements the page draws (the partner countries' map); the rest
// are HTML.
const svgTags = new Set(['svg', 'path', 'title', 'g', 'rect']);

// el builds an element: el('p', {class: 'x'}, 'text', child…). An attribute
// that is null, undefined or false is left out, on… attributes are
// listeners, dataset fills data-*; children that are null, undefined or
// false are skipped (conditional parts).
export function el(tag, attrs = {}, ...children) {
  const e = svgTags.has(tag) ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// fill replaces node's children with those given, skipping null and
// false (conditional parts); replaceChildren itself would write "null".
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}
