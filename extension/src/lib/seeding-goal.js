// Seeding goals as the user types them (options page, the popup's goal dialog) and as the helper keeps
// them (http-api.yaml SeedingGoal: ratioLimit, seedingTimeLimitMinutes; null or 0 = no limit).

export const MAX_RATIO = 9998;
export const MAX_MINUTES = 525_600; // a year

export class SeedingGoalError extends Error {}

/** "2", "1.5" or "1,5" → 1.5; "" or "0" → null (no limit); anything else throws with the range. */
export function parseRatio(text) {
  const t = String(text ?? '').trim().replace(',', '.');
  if (t === '') return null;
  if (!/^\d+(\.\d+)?$/.test(t)) throw new SeedingGoalError(`"${t}" is not a ratio (a number such as 2 or 1.5; empty: no limit)`);
  const ratio = Number(t);
  if (ratio === 0) return null;
  if (ratio > MAX_RATIO) throw new SeedingGoalError(`a ratio of ${t} is more than ${MAX_RATIO}`);
  return ratio;
}

/** "90" → 90; "" or "0" → null (no limit); anything but whole minutes up to a year throws. */
export function parseMinutes(text) {
  const t = String(text ?? '').trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) throw new SeedingGoalError(`"${t}" is not a whole number of minutes (empty: no limit)`);
  const minutes = Number(t);
  if (minutes === 0) return null;
  if (minutes > MAX_MINUTES) throw new SeedingGoalError(`${t} minutes is more than a year (${MAX_MINUTES})`);
  return minutes;
}

/** A field's text for a limit: "" for none. */
export function limitText(value) {
  return value === null || value === undefined || value === 0 ? '' : String(value);
}

/** One line for a goal: "stop at ratio 2 or after 90 min", or "seed for ever". */
export function goalText(goal) {
  const parts = [];
  if (goal?.ratioLimit) parts.push(`at ratio ${goal.ratioLimit}`);
  if (goal?.seedingTimeLimitMinutes) parts.push(`after ${goal.seedingTimeLimitMinutes} min of seeding`);
  return parts.length === 0 ? 'seed for ever' : `stop seeding ${parts.join(' or ')}`;
}
