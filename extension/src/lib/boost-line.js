// What the popup says about a torrent's boost beside "BTT spent": the sellers' ask, the user's effective
// bid, and — when an approved boost buys nothing — the helper's reason (boost.note), so a boost that
// cannot reach the ask is never silently idle. Pure: takes the API's BoostStatus, returns text.
import { formatBaseUnits, groupThousands } from './format.js';

const perGiB = (baseUnits) => `${groupThousands(formatBaseUnits(baseUnits))} BTT/GiB`;

/** One line for the boost of a torrent, or '' when there is nothing to say. */
export function boostLine(boost) {
  if (!boost) return '';
  const parts = [];
  if (boost.askBaseUnits != null) parts.push(`sellers ask ${perGiB(boost.askBaseUnits)}`);
  if (boost.budgetId != null || (boost.rateBaseUnits != null && boost.rateBaseUnits !== '0')) {
    parts.push(`your bid ${perGiB(boost.rateBaseUnits ?? '0')}`);
  }
  if (boost.note) parts.push(`idle: ${boost.note}`);
  return parts.join(' · ');
}
