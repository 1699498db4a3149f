// The rankings tab's conversation with the server. On a large network an
// exact ranking (betweenness, closeness…) takes the server minutes, which
// it spends in the background after loading; until then it answers with a
// certified approximation (exact false, every score within epsilon with
// probability 1 - delta), or, for a measure without one, the request runs
// into the server's time limit. So a ranking here:
//
//   - is asked for with an AbortController: Cancel abandons it (and the
//     server stops working for it), and so do a newer question and leaving
//     the tab once it has shown it is slow (workingAfterMs); a quick one is
//     left to finish into the kept rankings, so that switching back and
//     forth neither repeats nor abandons cheap work;
//   - says after workingAfterMs that it is working, what on, and for how
//     long (onWorking, every second), never a silent spinner;
//   - when approximate, or refused while the exact ranking is still being
//     computed, polls the server's progress (a cheap question) with
//     backoff, only while the page is visible and the tab open, and asks
//     again once the exact ranking is ready: the table updates itself;
//   - is kept per measure, kind and filter for keepMs, so that coming back to the
//     tab or switching the language shows it again without a request.
import * as api from './api.js';

// After this long a request shows that it is working.
export const workingAfterMs = 1000;
// Progress polls: the first after pollFirstMs, each next one pollFactor
// times later, at most pollMaxMs apart (a tab left open for an hour asks
// about 130 times, not 3,600).
const pollFirstMs = 2000;
const pollFactor = 1.5;
const pollMaxMs = 30_000;
// A kept ranking older than this is asked again when shown (the server may
// have loaded a new network since); shown meanwhile.
const keepMs = 5 * 60_000;

export class Rankings {
  // The callbacks draw; this class only asks and decides when:
  //   onWorking({measure, kind, elapsedMs, cancel}) — still waiting;
  //   onResult(result, {updated}) — a ranking to show (updated: it
  //     replaces an approximation by the exact ranking);
  //   onError(err, {measure, kind, waiting, retry}) — a failure; waiting
  //     when the page will ask again by itself once the exact ranking is
  //     ready;
  //   onCancelled({measure, kind, retry}) — the user gave up waiting;
  //   onChecked({measure, kind, result, progress, at}) — a poll found the
  //     exact ranking not ready yet (result: the kept one, if any).
  constructor(callbacks) {
    this.cb = callbacks;
    this.cache = new Map(); // "measure|kind" → the last result
    this.want = null; // {measure, kind, key} the tab shows, null when it is closed
    this.request = null; // {key, measure, kind, ctrl, started, ticker} in flight, shown
    this.detached = new Map(); // key → a quick request no longer shown, left to finish
    this.poll = null; // {key, timer, delay, ctrl} waiting for the exact ranking
    this.firsts = new Map(); // key → how many places the user asked to see (Show more)
    this.onVisibility = () => this.visibility();
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  // show shows the ranking of measure (within kind when set): the kept
  // one at once if there is one, asking the server otherwise; either way
  // it follows the progress of an approximation.
  show(measure, kind) {
    const key = keyOf(measure, kind);
    // The key shown is kept: the filter in it may have changed since.
    const same = this.want?.key === key;
    this.want = { measure, kind, key };
    if (same && this.request) return; // already asking
    this.stopRequest();
    if (this.poll?.key !== key) this.stopPoll();
    const kept = this.cache.get(key);
    if (kept) this.cb.onResult(kept, { updated: false });
    if (!kept || Date.now() - kept.at > keepMs) {
      this.stopPoll();
      const pending = this.detached.get(key);
      if (pending) {
        this.detached.delete(key);
        this.attach(pending);
      } else {
        this.ask({ updated: false });
      }
    } else if (!kept.exact && !this.poll) {
      this.startPoll(0);
    }
  }

  // leave stops every request and poll: the tab was closed.
  leave() {
    this.want = null;
    this.stopRequest();
    this.stopPoll();
  }

  // cancel abandons the request in flight, at the user's word.
  cancel() {
    if (!this.request || !this.want) return;
    const { measure, kind } = this.want;
    this.stopRequest({ force: true });
    this.stopPoll();
    this.cb.onCancelled({ measure, kind, retry: () => this.retry() });
  }

  // retry asks the server again for the ranking the tab shows.
  retry() {
    if (!this.want) return;
    this.stopRequest({ force: true });
    this.stopPoll();
    this.ask({ updated: false });
  }

  async ask({ updated }) {
    const { measure, kind } = this.want;
    const key = keyOf(measure, kind);
    const request = { key, measure, kind, ctrl: new AbortController(), started: performance.now(), ticker: 0 };
    this.attach(request);
    try {
      const result = await api.ranking(measure, kind, { first: this.firsts.get(key) ?? rankingPage, signal: request.ctrl.signal });
      result.measure = measure;
      result.kind = kind;
      result.at = new Date();
      this.cache.set(key, result); // shown or not, it is the latest
      if (this.detached.get(key) === request) this.detached.delete(key);
      if (this.request !== request) return;
      this.finish(request);
      this.cb.onResult(result, { updated });
      if (!result.exact) this.startPoll(pollFirstMs);
    } catch (err) {
      if (this.detached.get(key) === request) this.detached.delete(key);
      if (this.request !== request || api.aborted(err)) return;
      this.finish(request);
      // Refused while the server still computes the exact ranking: wait
      // for it as for an approximation, rather than leave the user with
      // an error and a button.
      const waiting = err.code === 'UNAVAILABLE' && (await this.exactPending(measure));
      if (!this.want || this.want.key !== key || this.request) return;
      this.cb.onError(err, { measure, kind, waiting, retry: () => this.retry() });
      if (waiting) this.startPoll(Math.max(pollFirstMs, err.retryAfter * 1000));
    }
  }

  // exactPending is true when the server says it is still computing the
  // exact ranking of measure (false when it cannot say).
  async exactPending(measure) {
    try {
      const { progress } = await api.ranking(measure, '', { withRanking: false });
      return progress !== null && !progress.exactReady;
    } catch {
      return false;
    }
  }

  // startPoll asks about the progress of the ranking the tab shows after
  // delay ms, then less and less often, until the exact ranking is ready;
  // it pauses while the page is hidden (see visibility).
  startPoll(delay) {
    const { measure, kind } = this.want;
    this.stopPoll();
    this.poll = { key: keyOf(measure, kind), measure, kind, timer: 0, delay: Math.max(delay, pollFirstMs), ctrl: null };
    if (document.visibilityState === 'visible') this.poll.timer = setTimeout(() => this.check(), delay);
  }

  async check() {
    const poll = this.poll;
    if (!poll || document.visibilityState !== 'visible') return;
    poll.timer = 0;
    poll.ctrl = new AbortController();
    let progress = null;
    try {
      ({ progress } = await api.ranking(poll.measure, poll.kind, { withRanking: false, signal: poll.ctrl.signal }));
    } catch (err) {
      if (api.aborted(err) || this.poll !== poll) return;
      // A failed poll (the server restarting, the network) is tried again
      // later, as a pending one is.
    }
    if (this.poll !== poll) return;
    poll.ctrl = null;
    const kept = this.cache.get(poll.key);
    if (progress && kept) kept.progress = progress;
    if (progress?.exactReady) {
      this.stopPoll();
      this.ask({ updated: true });
      return;
    }
    if (progress) this.cb.onChecked({ measure: poll.measure, kind: poll.kind, result: kept, progress, at: new Date() });
    poll.delay = Math.min(poll.delay * pollFactor, pollMaxMs);
    if (document.visibilityState === 'visible') poll.timer = setTimeout(() => this.check(), poll.delay);
  }

  // visibility pauses polling while the page is hidden and checks at once
  // when it is shown again.
  visibility() {
    const poll = this.poll;
    if (!poll) return;
    if (document.visibilityState !== 'visible') {
      clearTimeout(poll.timer);
      poll.timer = 0;
      poll.ctrl?.abort();
      poll.ctrl = null;
    } else if (!poll.timer && !poll.ctrl) {
      poll.timer = setTimeout(() => this.check(), 0);
    }
  }

  // attach makes request the one the tab shows, saying it is working
  // from workingAfterMs after it started, every second.
  attach(request) {
    this.request = request;
    const tick = () => {
      this.cb.onWorking({ measure: request.measure, kind: request.kind, elapsedMs: performance.now() - request.started, cancel: () => this.cancel() });
      request.ticker = setTimeout(tick, 1000);
    };
    request.ticker = setTimeout(tick, Math.max(0, workingAfterMs - (performance.now() - request.started)));
  }

  // finish stops saying the request that just answered is working.
  finish(request) {
    clearTimeout(request.ticker);
    if (this.request === request) this.request = null;
  }

  // stopRequest stops showing the request in flight: it is abandoned when
  // force is set or it has been slow, else left to finish (detached).
  stopRequest({ force = false } = {}) {
    const request = this.request;
    if (!request) return;
    clearTimeout(request.ticker);
    this.request = null;
    if (force || performance.now() - request.started >= workingAfterMs) {
      request.ctrl.abort();
    } else {
      this.detached.get(request.key)?.ctrl.abort(); // at most one per key
      this.detached.set(request.key, request);
    }
  }

  stopPoll() {
    if (!this.poll) return;
    clearTimeout(this.poll.timer);
    this.poll.ctrl?.abort();
    this.poll = null;
  }

  // more asks for the next rankingPage places of the ranking shown (the
  // whole list again, so that every place comes from the same answer,
  // exact or approximate); later answers (the exact one replacing an
  // approximation) keep that many.
  more() {
    if (!this.want) return Promise.resolve();
    const key = keyOf(this.want.measure, this.want.kind);
    const shown = this.cache.get(key)?.rows?.length ?? 0;
    this.firsts.set(key, Math.min(maxRankingFirst, shown + rankingPage));
    return this.ask({ updated: false });
  }

  // polling is true while the page waits for an exact ranking.
  get polling() {
    return this.poll !== null;
  }
}

// Places of a ranking asked at first and added per "Show more"; the API
// gives at most maxRankingFirst per request.
export const rankingPage = 50;
const maxRankingFirst = 1000;

// The page's filter is part of the key: a filtered ranking is another one.
function keyOf(measure, kind) {
  return `${measure}|${kind ?? ''}|${api.filterKey()}`;
}
