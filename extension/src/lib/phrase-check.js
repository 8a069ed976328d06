// Confirming a new recovery phrase before the wallet is made from it, as TronLink and MetaMask do: the
// user types back a few words picked at random positions, which proves the words were written down
// rather than clicked past. Pure (the random source is injected), so it is unit-tested.

export const CONFIRM_WORDS = 3;
export const MIN_PASSWORD_LENGTH = 8;

/** `count` distinct 0-based positions of a phrase of `length` words, in ascending order. */
export function pickPositions(length, random = Math.random, count = CONFIRM_WORDS) {
  if (length < count) throw new Error(`a phrase of ${length} words cannot confirm ${count}`);
  const chosen = new Set();
  while (chosen.size < count) chosen.add(Math.floor(random() * length) % length);
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Checks the typed words against the phrase: case and surrounding spaces do not matter. Returns the
 * 1-based numbers of the words that do not match (empty when all do).
 */
export function wrongWords(phrase, positions, answers) {
  const words = phrase.trim().split(/\s+/);
  return positions.filter((p, i) => String(answers[i] ?? '').trim().toLowerCase() !== words[p]).map((p) => p + 1);
}

/** Why a new wallet password cannot be used, or null when it can. */
export function passwordProblem(password, repeated) {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== repeated) return 'The two passwords differ.';
  return null;
}

/** Tidies a phrase the user pasted (line breaks, numbering like "1. abandon", several spaces). */
export function normalisePhrase(text) {
  return String(text ?? '')
    .toLowerCase()
    .replace(/\b\d+[.)]\s*/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}
