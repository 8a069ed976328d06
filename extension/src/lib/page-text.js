// Text a web page chose (a magnet link's `dn`, a page title) is shown to the user only as a labelled,
// bounded quotation: never inside a sentence the extension speaks, so a crafted name cannot read as
// part of what Magnetar says (e.g. a `dn` that ends in "This is NOT a payment: …").

export const MAX_PAGE_TEXT_CHARS = 80;

// C0/C1 controls, and the Unicode bidi controls that can make text display in another order than it is
// stored (Unicode TR 9: LRE…RLO, LRI…PDI, and the marks).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text a page supplied, made safe to show as a quotation: one line, no controls, at most `max` characters. */
export function pageSuppliedText(text, max = MAX_PAGE_TEXT_CHARS) {
  if (text === null || text === undefined) return null;
  const clean = String(text).replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (clean === '') return null;
  const chars = Array.from(clean); // by code point, so a surrogate pair is never cut in half
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('')}…`;
}
