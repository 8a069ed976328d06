// The user's BTT budgets as the Budgets page, the approval window and the torrent card show them. Pure:
// takes the API's Approval list (protocol-spec/http-api.yaml), returns rows and sentences; amounts stay
// base-unit strings until formatted, never floating point.
import { formatBaseUnits, formatBytes, groupThousands, networkLabel } from './format.js';
import { pageSuppliedText } from './page-text.js';

/** The torrent's name came from a link: a table cell shows it cut short and cleaned, like any page-supplied text. */
export const NAME_CHARS = 40;

const btt = (baseUnits) => `${groupThousands(formatBaseUnits(baseUnits ?? '0'))} BTT`;

/** Active first (they can still spend), then waiting, then the finished ones newest first. */
const STATE_ORDER = { APPROVED: 0, PENDING: 1 };

const STATE_LABELS = {
  PENDING: 'Waiting for your approval',
  APPROVED: 'Active',
  REJECTED: 'Rejected',
  EXPIRED: 'Expired',
  REVOKED: 'Revoked',
  REPLACED: 'Replaced by a newer boost',
  EXHAUSTED: 'Used up',
};

/**
 * The budgets that approving {@code approval} would replace. The helper's stacking rule
 * (http-api.yaml, approve): a new boost replaces the active boost of the same torrent on the same
 * network; it never tops it up.
 */
export function replacedBy(approval, approvals) {
  if (approval?.purpose !== 'BOOST_TORRENT') return [];
  return approvals.filter((b) => b.id !== approval.id && b.state === 'APPROVED' && b.purpose === 'BOOST_TORRENT'
    && b.infoHash === approval.infoHash && b.network === approval.network);
}

/** What the approval window says about stacking before the user approves; null when nothing is replaced. */
export function stackingNote(approval, approvals) {
  if (approval?.state !== 'PENDING') return null;
  const old = replacedBy(approval, approvals);
  if (old.length === 0) return null;
  const spent = old.reduce((sum, b) => sum + BigInt(b.spentBaseUnits), 0n);
  const left = old.reduce((sum, b) => sum + BigInt(b.remainingBaseUnits), 0n);
  return `Approving replaces the boost already active for this torrent (${btt(spent)} spent, ${btt(left)} left). `
    + `It does not add to it: from then on at most ${btt(approval.capBaseUnits)} can be spent on this torrent, `
    + `and the ${btt(left)} left stays in your wallet.`;
}

/** The approved budget behind a torrent's boost: the one the helper names, else the active one for its info-hash. */
export function activeBoost(torrent, approvals) {
  const named = torrent?.boost?.budgetId ? approvals.find((a) => a.id === torrent.boost.budgetId) : undefined;
  if (named?.state === 'APPROVED') return named;
  return approvals.find((a) => a.state === 'APPROVED' && a.purpose === 'BOOST_TORRENT' && a.infoHash === torrent?.infoHash) ?? null;
}

/** The torrent card's boost button: what the active boost has spent and has left, or just "Boost". */
export function boostButtonLabel(torrent, approvals) {
  const active = activeBoost(torrent, approvals);
  return active ? `Boosted: ${btt(active.spentBaseUnits)} spent, ${btt(active.remainingBaseUnits)} left` : 'Boost';
}

/** What the boost dialog says when the torrent already has an active boost; null when it has none. */
export function boostDialogNote(torrent, approvals) {
  const active = activeBoost(torrent, approvals);
  return active
    ? `This download already has an active boost (${btt(active.spentBaseUnits)} spent, ${btt(active.remainingBaseUnits)} left). `
      + 'A new request replaces it once you approve it; it does not add to it.'
    : null;
}

/** One row per budget for the Budgets page, in display order. */
export function budgetRows(approvals) {
  return [...approvals]
    .sort((a, b) => (STATE_ORDER[a.state] ?? 2) - (STATE_ORDER[b.state] ?? 2)
      || String(b.updatedAt ?? b.createdAt).localeCompare(String(a.updatedAt ?? a.createdAt)))
    .map((a) => ({
      id: a.id,
      torrent: a.purpose === 'BOOST_TORRENT' ? (pageSuppliedText(a.torrentName, NAME_CHARS) ?? a.infoHash) : `payment to ${a.recipient ?? 'a peer'}`,
      infoHash: a.infoHash ?? null,
      cap: btt(a.capBaseUnits),
      spent: btt(a.spentBaseUnits),
      reserved: btt(a.reservedBaseUnits),
      left: btt(a.remainingBaseUnits),
      rate: a.ratePerGiBBaseUnits == null ? '—' : `${btt(a.ratePerGiBBaseUnits)}/GiB`,
      expires: a.expiresAt,
      state: STATE_LABELS[a.state] ?? a.state,
      network: networkLabel(a.network),
      canRevoke: a.state === 'APPROVED',
    }));
}

/**
 * A boost whose cap runs out before the download ends, even at the sellers' lowest ask, says so before it
 * is approved: the helper filed what the cap buys at that ask (capBuysBytes) against what is left
 * (bytesLeft). null when the cap covers the rest, or when no seller's ask was known at filing.
 */
export function coverageNote(approval) {
  const { capBuysBytes, bytesLeft, lowestAskPerGiBBaseUnits } = approval;
  if (capBuysBytes == null || bytesLeft == null || !lowestAskPerGiBBaseUnits || capBuysBytes >= bytesLeft) return null;
  const ask = `${groupThousands(formatBaseUnits(lowestAskPerGiBBaseUnits))} BTT/GiB`;
  return `This cap buys about ${formatBytes(capBuysBytes)} of the ${formatBytes(bytesLeft)} left at the sellers' current asks `
    + `(lowest ${ask}), and less when other boosted downloaders compete. The boost starts when about that much is left; `
    + 'the rest downloads unboosted.';
}
