// Parts of the page the user opens and closes: the legend over the graph
// (open on a wide screen, closed on a phone until asked for) and, on a
// phone, the toolbar behind a "View options" button. Each is a button
// with aria-expanded that shows or hides what it controls.

// phone is the width under which the page takes its phone layout (the
// same as page.css's last media query).
export const phone = '(max-width: 560px)';

export function onPhone() {
  return window.matchMedia?.(phone).matches ?? false;
}

let legendOpen = null; // the user's choice; null until the legend is first drawn

// legendFrame fills box with the legend: a heading whose button opens and
// closes body (kept across redraws), then body. onToggle runs after the
// user opened or closed it (the graph redraws the labels it hid).
export function legendFrame(box, title, body, onToggle = () => {}) {
  if (legendOpen === null) legendOpen = !onPhone();
  body.id = 'legend-body';
  body.className = 'legend-body';
  body.hidden = !legendOpen;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'legend-toggle';
  button.id = 'legend-toggle';
  button.setAttribute('aria-controls', body.id);
  button.setAttribute('aria-expanded', legendOpen ? 'true' : 'false');
  button.append(title);
  button.addEventListener('click', () => {
    legendOpen = !legendOpen;
    button.setAttribute('aria-expanded', legendOpen ? 'true' : 'false');
    body.hidden = !legendOpen;
    box.classList.toggle('closed', !legendOpen);
    onToggle(legendOpen);
  });
  const heading = document.createElement('h3');
  heading.append(button);
  box.classList.toggle('closed', !legendOpen);
  box.replaceChildren(heading, body);
}

// menu makes button open and close target (the toolbar on a phone; on a
// wider screen the button is not shown and the toolbar always is).
export function menu(button, target) {
  const set = (open) => {
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    target.classList.toggle('open', open);
  };
  set(false);
  button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
}

// reservedBox is the box el covers within container, in container's
// pixels and with a margin, or null when it is not shown.
export function reservedBox(el, container, margin = 6) {
  if (!el || el.hidden || !el.offsetParent) return null;
  const r = el.getBoundingClientRect();
  const c = container.getBoundingClientRect();
  if (!r.width || !r.height) return null;
  return { left: r.left - c.left - margin, top: r.top - c.top - margin, right: r.right - c.left + margin, bottom: r.bottom - c.top + margin };
}
