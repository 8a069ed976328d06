// Guards against drive-by adds: a page can turn a user's ordinary clicks into magnet clicks (a link under
// the cursor, a page full of them) and so make the machine join swarms of its choosing and fill the
// disk. Clicks a page's script makes are dropped in the content script (`event.isTrusted`); what remains
// are real gestures, and this guard counts them. Within one minute, up to ADDS_PER_MINUTE_PER_ORIGIN
// links from one origin and ADDS_PER_MINUTE_ALL_PAGES from all pages together are added at once; above
// that each link waits for the user to say yes in a window the page cannot script. A page that keeps
// going is refused outright once MAX_QUESTIONS_PER_ORIGIN of its links wait for an answer.
// Adds the user makes in the extension's own pages or its context menu are not counted.

export const ADDS_PER_MINUTE_PER_ORIGIN = 5;
export const ADDS_PER_MINUTE_ALL_PAGES = 20;
export const MAX_QUESTIONS_PER_ORIGIN = 10;
const WINDOW_MS = 60_000;

/** The origin a link is counted against: the page's scheme://host:port, or one bucket for unknown pages. */
export function originOf(pageUrl) {
  try {
    const origin = new URL(pageUrl).origin;
    return origin === 'null' ? 'an unknown page' : origin;
  } catch {
    return 'an unknown page';
  }
}

export class AddGuard {
  constructor({ now = Date.now } = {}) {
    this.now = now;
    this.recent = []; // { origin, at } for every link a page sent in the last minute
    this.questions = []; // { id, origin, uri, name, infoHash, originPage, at } waiting for the user
    this.nextId = 1;
  }

  /**
   * Counts one link from a page. Returns { verdict: 'add' } to add at once, { verdict: 'ask', question }
   * when the user must say yes first, or { verdict: 'refuse', reason } when too many already wait.
   */
  admit({ pageUrl, uri, name = null, infoHash = null }) {
    const at = this.now();
    const origin = originOf(pageUrl);
    this.recent = this.recent.filter((r) => at - r.at < WINDOW_MS);
    const fromOrigin = this.recent.filter((r) => r.origin === origin).length;
    const fromAll = this.recent.length;
    this.recent.push({ origin, at });
    if (fromOrigin < ADDS_PER_MINUTE_PER_ORIGIN && fromAll < ADDS_PER_MINUTE_ALL_PAGES) return { verdict: 'add' };
    if (this.questions.filter((q) => q.origin === origin).length >= MAX_QUESTIONS_PER_ORIGIN) {
      return {
        verdict: 'refuse',
        reason: `${origin} sent more links than Magnetar adds without asking, and ${MAX_QUESTIONS_PER_ORIGIN} of them already wait for your answer; this one was ignored`,
      };
    }
    const question = { id: String(this.nextId++), origin, uri, name, infoHash, originPage: pageUrl ?? null, at };
    this.questions.push(question);
    return { verdict: 'ask', question };
  }

  /** Takes a question off the list (answered either way); null when it is not (or no longer) there. */
  answer(id) {
    const i = this.questions.findIndex((q) => q.id === id);
    return i < 0 ? null : this.questions.splice(i, 1)[0];
  }

  /** Takes every question from one origin off the list ("add none of these"). */
  dismissOrigin(origin) {
    const gone = this.questions.filter((q) => q.origin === origin);
    this.questions = this.questions.filter((q) => q.origin !== origin);
    return gone;
  }
}
