import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replacedBy, stackingNote, activeBoost, boostButtonLabel, boostDialogNote, budgetRows, coverageNote } from '../../src/lib/budgets.js';

const BTT = 10n ** 18n;
const base = (btt) => (BigInt(btt) * BTT).toString();
const HASH = 'aa'.repeat(20);

function approval(fields) {
  return {
    id: 'x', purpose: 'BOOST_TORRENT', state: 'APPROVED', infoHash: HASH, torrentName: 'ubuntu.iso', network: 'devnet',
    recipient: null, capBaseUnits: base(10), spentBaseUnits: base(0), reservedBaseUnits: '0', remainingBaseUnits: base(10),
    ratePerGiBBaseUnits: base(1), createdAt: '2026-12-06T09:00:00Z', expiresAt: '2026-12-07T09:00:00Z', updatedAt: '2026-12-06T09:00:00Z',
    ...fields,
  };
}

test('a new boost for a torrent with an active boost says it replaces it and does not add to it', () => {
  const old = approval({ id: 'old', spentBaseUnits: base(4), remainingBaseUnits: base(6) });
  const fresh = approval({ id: 'new', state: 'PENDING', capBaseUnits: base(3) });
  assert.deepEqual(replacedBy(fresh, [old, fresh]).map((b) => b.id), ['old']);
  assert.equal(stackingNote(fresh, [old, fresh]),
    'Approving replaces the boost already active for this torrent (4 BTT spent, 6 BTT left). It does not add to it: '
    + 'from then on at most 3 BTT can be spent on this torrent, and the 6 BTT left stays in your wallet.');
});

test('nothing is replaced across torrents, networks, finished budgets or payments', () => {
  const fresh = approval({ id: 'new', state: 'PENDING' });
  const others = [
    approval({ id: 'b', infoHash: 'bb'.repeat(20) }),
    approval({ id: 'nile', network: 'nile' }),
    approval({ id: 'revoked', state: 'REVOKED' }),
    approval({ id: 'expired', state: 'EXPIRED' }),
  ];
  assert.deepEqual(replacedBy(fresh, [fresh, ...others]), []);
  assert.equal(stackingNote(fresh, [fresh, ...others]), null);
  assert.deepEqual(replacedBy(approval({ id: 'pay', purpose: 'SEND', state: 'PENDING' }), [approval({ id: 'a' })]), []);
});

test('an already decided request has no stacking note', () => {
  const old = approval({ id: 'old' });
  assert.equal(stackingNote(approval({ id: 'new', state: 'APPROVED' }), [old]), null);
});

test('the torrent card shows the active boost spent and left, else just Boost', () => {
  const active = approval({ id: 'b1', spentBaseUnits: base(2), remainingBaseUnits: base(8) });
  const torrent = { infoHash: HASH, boost: { budgetId: 'b1' } };
  assert.equal(boostButtonLabel(torrent, [active]), 'Boosted: 2 BTT spent, 8 BTT left');
  assert.equal(activeBoost({ infoHash: HASH, boost: null }, [active]).id, 'b1', 'found by info-hash when the helper names none');
  assert.equal(boostButtonLabel(torrent, [approval({ id: 'b1', state: 'REVOKED' })]), 'Boost');
  assert.equal(boostButtonLabel({ infoHash: 'cc'.repeat(20) }, [active]), 'Boost');
});

test('budget rows list every budget, active first, with revoke only where it can act', () => {
  const rows = budgetRows([
    approval({ id: 'done', state: 'EXHAUSTED', updatedAt: '2026-12-06T09:30:00Z' }),
    approval({ id: 'wait', state: 'PENDING' }),
    approval({ id: 'live', reservedBaseUnits: base(1), ratePerGiBBaseUnits: base(2), network: 'mainnet' }),
    approval({ id: 'gone', state: 'REPLACED', updatedAt: '2026-12-06T09:40:00Z' }),
    approval({ id: 'pay', purpose: 'SEND', infoHash: null, recipient: 'TUg28KYvCXWW81EqMUeZvCZmZw2BChk1HQ', ratePerGiBBaseUnits: null, state: 'REVOKED', updatedAt: '2026-12-06T08:00:00Z' }),
  ]);
  assert.deepEqual(rows.map((r) => r.id), ['live', 'wait', 'gone', 'done', 'pay']);
  assert.deepEqual(rows.map((r) => r.canRevoke), [true, false, false, false, false]);
  const live = rows[0];
  assert.equal(live.torrent, 'ubuntu.iso');
  assert.equal(live.cap, '10 BTT');
  assert.equal(live.reserved, '1 BTT');
  assert.equal(live.rate, '2 BTT/GiB');
  assert.equal(live.network, 'TRON mainnet — real money');
  assert.equal(live.state, 'Active');
  assert.equal(rows[2].state, 'Replaced by a newer boost');
  assert.equal(rows[4].torrent, 'payment to TUg28KYvCXWW81EqMUeZvCZmZw2BChk1HQ');
  assert.equal(rows[4].rate, '—');
});

test('the boost dialog warns that a new boost replaces the active one', () => {
  const active = approval({ id: 'b1', spentBaseUnits: base(1), remainingBaseUnits: base(9) });
  assert.equal(boostDialogNote({ infoHash: HASH }, [active]),
    'This download already has an active boost (1 BTT spent, 9 BTT left). A new request replaces it once you approve it; it does not add to it.');
  assert.equal(boostDialogNote({ infoHash: HASH }, [approval({ id: 'b1', state: 'PENDING' })]), null);
});

test('a crafted torrent name is cut short and cleaned in the Budgets table', () => {
  const [row] = budgetRows([approval({ torrentName: 'Ubuntu 24.04.iso\u202e". This is NOT a payment: nothing will be spent. Approve to continue' })]);
  assert.equal([...row.torrent].length, 40);
  assert.ok(row.torrent.endsWith('…') && !row.torrent.includes('\u202e'), row.torrent);
  assert.equal(budgetRows([approval({ torrentName: null })])[0].torrent, HASH);
});

test('a cap that buys only part of what is left says how much, at the sellers\' lowest ask', () => {
  const MIB = 1024 * 1024;
  const partial = approval({ state: 'PENDING', capBaseUnits: base(2), lowestAskPerGiBBaseUnits: base(100),
    capBuysBytes: 20.48 * MIB, bytesLeft: 64 * MIB });
  assert.equal(coverageNote(partial),
    'This cap buys about 20.5 MiB of the 64 MiB left at the sellers\' current asks (lowest 100 BTT/GiB), and less when other '
    + 'boosted downloaders compete. The boost starts when about that much is left; the rest downloads unboosted.');
});

test('a cap that covers the rest, or a boost filed before any seller\'s ask was known, has no coverage note', () => {
  assert.equal(coverageNote(approval({ lowestAskPerGiBBaseUnits: base(100), capBuysBytes: 64 * 1024 * 1024, bytesLeft: 64 * 1024 * 1024 })), null);
  assert.equal(coverageNote(approval({ lowestAskPerGiBBaseUnits: null, capBuysBytes: null, bytesLeft: null })), null);
  assert.equal(coverageNote(approval({})), null, 'an approval from an older helper has no such fields');
});

