// Rate limits as the user types them (KiB/s, on the options page and in the popup's limits dialog)
// and as the helper keeps them (bytes per second). 0 or an empty field means no limit (the helper's 0);
// the helper refuses more than 8 GiB/s.

export const MAX_BYTES_PER_SECOND = 8 * 1024 ** 3;

export class RateLimitError extends Error {}

/** "512" → 524288; "" or "0" → 0; anything else but a whole number of KiB/s up to 8 GiB/s throws. */
export function kibPerSecondToBytes(text) {
  const t = String(text ?? '').trim();
  if (t === '') return 0;
  if (!/^\d+$/.test(t)) throw new RateLimitError(`"${t}" is not a whole number of KiB/s (0 or empty: no limit)`);
  const bytes = Number(t) * 1024;
  if (!Number.isSafeInteger(bytes) || bytes > MAX_BYTES_PER_SECOND) {
    throw new RateLimitError(`${t} KiB/s is more than the helper allows (${MAX_BYTES_PER_SECOND / 1024} KiB/s)`);
  }
  return bytes;
}

/** The field's text for a limit in bytes per second: "" for none, whole KiB/s otherwise (rounded up). */
export function bytesToKibPerSecondText(bytesPerSecond) {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '';
  return String(Math.ceil(bytesPerSecond / 1024));
}
