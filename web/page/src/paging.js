// Paging for every list of the page: a list never stops silently at a
// limit; it says how many of how many it shows and offers the next page.
// The lists (details' relations, partners, rankings, suggestions, paths)
// each keep their own items and cursor and draw their own rows; pager()
// draws the line under them.
import { number, plural, t } from './i18n.js';

// pager returns the line under a list: "Showing N of M" and, while items
// remain, a "Show K more" button. more() loads and draws the next page (it
// may return a promise: the button is disabled until it settles, and a
// failure goes to onError). total may be null when the API tells no total:
// the line then says "N shown" and offers more while hasMore. What is
// written is in the page's language; id, when given, names the element
// (the browser tests find it by id).
export function pager({ shown, total, pageSize, more, hasMore = total === null || total === undefined ? false : shown < total, onError = null, id = undefined }) {
  const p = document.createElement('p');
  p.className = 'pager';
  if (id) p.id = id;
  const count = document.createElement('span');
  count.className = 'pager-count';
  count.textContent = total === null || total === undefined ? plural('paging.shownOpen', shown) : shown >= total ? t('paging.all', { total: number(total) }) : plural('paging.shown', shown, { total: number(total) });
  p.append(count);
  if (hasMore && more) {
    const left = total === null || total === undefined ? pageSize : Math.min(pageSize, total - shown);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'small pager-more';
    button.textContent = plural('paging.more', left);
    button.addEventListener('click', async () => {
      button.disabled = true;
      button.textContent = t('paging.loading');
      try {
        await more();
      } catch (err) {
        button.disabled = false;
        button.textContent = plural('paging.more', left);
        if (onError) onError(err);
        else throw err;
      }
    });
    p.append(' ', button);
  }
  return p;
}

// focusFirstNew moves the keyboard focus to the first focusable element of
// the item at index i of list (the first item a "Show more" added), so
// that a keyboard or screen reader user continues where the list grew.
export function focusFirstNew(list, i) {
  const item = list?.children[i];
  const target = item?.querySelector('button, a, [tabindex]') ?? null;
  if (target) target.focus();
}
