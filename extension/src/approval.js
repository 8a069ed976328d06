// One window per spend request (DESIGN.md "Extension"): shows exactly what would be spent and why —
// never an opaque hash — and sends the user's decision. A request decided elsewhere closes this window
// (the background does that); here it also turns the form off at once.
import { connectView, command } from './lib/view-port.js';
import { formatBaseUnits, groupThousands, networkLabel, chainIdOf, normaliseAmount } from './lib/format.js';
import { pageSuppliedText } from './lib/page-text.js';
import { coverageNote, stackingNote } from './lib/budgets.js';

const $ = (id) => document.getElementById(id);
const id = new URLSearchParams(location.search).get('id');
let busy = false;

connectView('approval', render);

function btt(baseUnits) {
  return `${groupThousands(formatBaseUnits(baseUnits))} BTT`;
}

function render(state) {
  const a = state.approvals.find((x) => x.id === id);
  if (!a) {
    $('loading').textContent = state.synced ? `No spend request with id ${id}.` : 'Loading the spend request…';
    return;
  }
  $('loading').hidden = true;
  $('request').hidden = false;
  const mainnet = a.network === 'mainnet';
  $('mainnet-warning').hidden = !mainnet;
  $('network-mark').textContent = mainnet ? 'Mainnet — real BTT' : networkLabel(a.network);
  $('network-mark').className = `network ${a.network}`;
  // The torrent's name comes from the link (or the torrent's creator): quoted on its own line, never in
  // the sentence that states the amount, so a crafted name cannot pass for Magnetar's own words.
  const linkName = pageSuppliedText(a.torrentName);
  $('summary').textContent = a.infoHash
    ? `Magnetar asks to spend up to ${btt(a.capBaseUnits)} from your wallet to speed up one download (below).`
    : `Magnetar asks to spend up to ${btt(a.capBaseUnits)} from your wallet.`;
  // Stated before the user approves: a second boost for one torrent replaces the first, never adds to it.
  const stacking = stackingNote(a, state.approvals);
  $('stacking').hidden = stacking === null;
  $('stacking').textContent = stacking ?? '';
  const coverage = coverageNote(a);
  $('coverage').hidden = coverage === null;
  $('coverage').textContent = coverage ?? '';
  $('link-name-row').hidden = linkName === null;
  $('link-name').textContent = linkName ?? '';
  $('torrent').textContent = a.infoHash ? `info-hash ${a.infoHash}` : 'no torrent (a payment)';
  // Named only when a page asked for this budget; a boost the user asked for in the popup has none.
  $('origin-row').hidden = !a.originPage;
  $('origin').textContent = a.originPage ?? '';
  $('network').textContent = networkLabel(a.network);
  // The helper reads the chain id from the chain it pays on (a devnet's comes from its own genesis).
  $('chain-id').textContent = a.chainId ?? chainIdOf(a.network) ?? 'not known yet (the helper could not reach the chain)';
  $('token').textContent = a.tokenContract ? `BTT, TRC-20 contract ${a.tokenContract}` : 'TRX (no token contract)';
  // The helper sends both forms; show both, and say so if they ever disagree.
  const consistent = normaliseAmount(a.capBtt) === formatBaseUnits(a.capBaseUnits);
  $('cap').textContent = `${btt(a.capBaseUnits)} = ${groupThousands(a.capBaseUnits)} base units (10⁻¹⁸ BTT)${consistent ? '' : ' — WARNING: the helper reported two different amounts'}`;
  $('rate').textContent = a.ratePerGiBBaseUnits
    // mg_speed §5: a winner pays its own bid when it shares a seller with other boosted downloaders (a larger
    // bid buys a larger share), and only the seller's ask when it is alone there.
    ? `at most ${btt(a.ratePerGiBBaseUnits)} per GiB received (${groupThousands(a.ratePerGiBBaseUnits)} base units): `
      + 'paid in full where other boosted downloaders compete for a seller (a higher rate buys a larger share); '
      + 'where you are a seller\'s only paying downloader, its ask (or the best bid that lost)'
    : 'no rate (a one-off payment)';
  $('recipient').textContent = a.recipient ?? 'any peer that sells upload slots for this torrent (not known in advance)';
  $('balance').textContent = state.balance
    ? `${btt(state.balance.bttBaseUnits)} · ${groupThousands(formatBaseUnits(state.balance.trxSun, 6))} TRX`
    : state.balanceError ?? 'unknown until the wallet is unlocked';
  $('fees').textContent = feesText(a, state.balance);
  $('spent').textContent = `${btt(a.spentBaseUnits)} spent, ${btt(a.remainingBaseUnits)} left`;
  const expires = new Date(a.expiresAt);
  $('expires').textContent = `${expires.toLocaleString()} (${relative(expires)})`;
  $('enforced').textContent = 'your Magnetar helper on this computer: it signs payments only for this torrent, only until the expiry, and never beyond the cap';
  if (a.state !== 'PENDING') {
    $('decide').hidden = true;
    $('decided').hidden = false;
    $('decided').textContent = `This request is ${a.state.toLowerCase()}.`;
    setTimeout(() => window.close(), 1500);
  }
}

// The fee is TRX burnt by each on-chain payment, on top of the BTT cap; the helper estimates it on the
// chain in use when the request is filed. Say too whether the wallet's TRX covers it.
function feesText(a, balance) {
  if (!a.feePerPaymentSun) return 'paid in TRX on top of the cap, per on-chain payment; not estimated for this request';
  const trx = (sun) => `${groupThousands(formatBaseUnits(sun, 6))} TRX`;
  const payments = a.feePayments === 1 ? '1 payment' : `up to ${a.feePayments} payments`;
  let text = `about ${trx(a.feePerPaymentSun)} per payment, about ${trx(a.feeForBudgetSun)} for the whole budget (${payments}); `
    + 'paid in TRX on top of the cap';
  if (balance) {
    const held = BigInt(balance.trxSun);
    const per = BigInt(a.feePerPaymentSun);
    if (held < BigInt(a.feeForBudgetSun)) {
      const covered = per > 0n ? held / per : 0n;
      text += ` — your ${trx(balance.trxSun)} cover about ${covered} payment${covered === 1n ? '' : 's'}; `
        + 'the boost stops paying when the TRX runs out';
    }
  }
  return text;
}

function relative(date) {
  const minutes = Math.round((date.getTime() - Date.now()) / 60000);
  if (minutes < 0) return 'expired';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `in ${hours} h` : `in ${Math.round(hours / 24)} days`;
}

async function decide(action, fields) {
  if (busy) return;
  busy = true;
  $('error').textContent = '';
  $('approve').disabled = true;
  $('reject').disabled = true;
  try {
    await command(action, { id, ...fields });
    $('decide').hidden = true;
    $('decided').hidden = false;
    $('decided').textContent = action === 'approve' ? 'Approved.' : 'Rejected: nothing will be spent.';
  } catch (e) {
    $('error').textContent = e.message;
    if (e.code === 'WRONG_PASSWORD') $('password').select();
  } finally {
    busy = false;
    $('approve').disabled = false;
    $('reject').disabled = false;
  }
}

$('decide').addEventListener('submit', (event) => {
  event.preventDefault();
  const password = $('password').value;
  if (!password) {
    $('error').textContent = 'Enter the wallet password to approve.';
    $('password').focus();
    return;
  }
  decide('approve', { password });
});
$('reject').addEventListener('click', () => decide('reject', {}));
$('password').focus();
