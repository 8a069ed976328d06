import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyView, applyEvent, pendingApprovals, activeCount } from '../../src/lib/torrent-list.js';

const torrent = (infoHash, state, verifiedBytes = 0) => ({
  infoHash, name: `t-${infoHash.slice(0, 4)}`, state, totalBytes: 1000, verifiedBytes, downloadedBytes: verifiedBytes,
  uploadedBytes: 0, downloadRateBytesPerSecond: 10, uploadRateBytesPerSecond: 0, peers: 1, seeds: 1, etaSeconds: 5, error: null, boost: null,
});
const approval = (id, state) => ({ id, state, infoHash: 'a'.repeat(40), capBtt: '10', capBaseUnits: '10000000000000000000' });
const wallet = { exists: true, unlocked: false, address: null, network: 'devnet' };
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function run(events, view = emptyView()) {
  const effects = [];
  for (const e of events) {
    const r = applyEvent(view, e);
    view = r.view;
    effects.push(...r.effects);
  }
  return { view, effects };
}

test('a snapshot then deltas build the list; the latest state per torrent wins', () => {
  const { view } = run([
    { type: 'snapshot', torrents: [torrent(A, 'DOWNLOADING')], approvals: [], wallet },
    { type: 'torrent_added', torrent: torrent(B, 'FETCHING_METADATA') },
    { type: 'torrent_updated', torrent: torrent(A, 'DOWNLOADING', 500) },
    { type: 'torrent_updated', torrent: torrent(A, 'DOWNLOADING', 700) },
  ]);
  assert.equal(view.synced, true);
  assert.deepEqual(view.torrents.map((t) => [t.infoHash, t.verifiedBytes]), [[A, 700], [B, 0]]);
  assert.equal(activeCount(view), 2);
});

test('removal drops the torrent; an update for an unknown torrent adds it', () => {
  const { view } = run([
    { type: 'snapshot', torrents: [torrent(A, 'DOWNLOADING')], approvals: [], wallet },
    { type: 'torrent_removed', infoHash: A, dataDeleted: false },
    { type: 'torrent_updated', torrent: torrent(B, 'SEEDING', 1000) },
  ]);
  assert.deepEqual(view.torrents.map((t) => t.infoHash), [B]);
});

test('resync marks the view stale until the next snapshot replaces everything', () => {
  let { view } = run([
    { type: 'snapshot', torrents: [torrent(A, 'DOWNLOADING')], approvals: [], wallet },
    { type: 'resync', reason: 'slow client' },
  ]);
  assert.equal(view.synced, false);
  ({ view } = run([{ type: 'snapshot', torrents: [torrent(B, 'PAUSED')], approvals: [], wallet: { ...wallet, unlocked: true } }], view));
  assert.equal(view.synced, true);
  assert.deepEqual(view.torrents.map((t) => t.infoHash), [B], 'torrents missing from the snapshot are gone');
  assert.equal(view.wallet.unlocked, true);
});

test('completion and failure are reported once, from their state changes', () => {
  const { effects } = run([
    { type: 'snapshot', torrents: [torrent(A, 'DOWNLOADING')], approvals: [], wallet },
    { type: 'torrent_state_changed', torrent: torrent(A, 'SEEDING', 1000), previousState: 'DOWNLOADING' },
    { type: 'torrent_state_changed', torrent: torrent(A, 'PAUSED', 1000), previousState: 'SEEDING' },
    { type: 'torrent_state_changed', torrent: torrent(A, 'SEEDING', 1000), previousState: 'PAUSED' },
    { type: 'torrent_state_changed', torrent: { ...torrent(B, 'ERROR'), error: 'disk full' }, previousState: 'DOWNLOADING' },
  ]);
  assert.deepEqual(effects.map((e) => [e.kind, e.torrent.infoHash]), [['completed', A], ['failed', B]]);
});

test('a filed spend request opens its window; a decision anywhere closes it', () => {
  const { view, effects } = run([
    { type: 'snapshot', torrents: [], approvals: [], wallet },
    { type: 'approval_changed', approval: approval('r1', 'PENDING'), needsAttention: true },
    { type: 'approval_changed', approval: approval('r2', 'PENDING'), needsAttention: true },
    { type: 'approval_changed', approval: approval('r1', 'APPROVED'), needsAttention: false },
  ]);
  assert.deepEqual(effects.map((e) => [e.kind, e.approval?.id ?? e.id]), [['openApproval', 'r1'], ['openApproval', 'r2'], ['closeApproval', 'r1']]);
  assert.deepEqual(pendingApprovals(view).map((a) => a.id), ['r2']);
});

test('a snapshot after a gap closes windows of requests decided meanwhile', () => {
  const { effects } = run([
    { type: 'snapshot', torrents: [], approvals: [approval('r1', 'PENDING'), approval('r2', 'PENDING')], wallet },
    { type: 'resync', reason: 'x' },
    { type: 'snapshot', torrents: [], approvals: [approval('r1', 'REJECTED'), approval('r2', 'PENDING')], wallet },
  ]);
  assert.deepEqual(effects, [{ kind: 'closeApproval', id: 'r1' }]);
});

test('unknown event types from a newer helper are ignored', () => {
  const start = run([{ type: 'snapshot', torrents: [torrent(A, 'DOWNLOADING')], approvals: [], wallet }]).view;
  const { view, effects } = applyEvent(start, { type: 'something_new', x: 1 });
  assert.equal(view, start);
  assert.deepEqual(effects, []);
});

test('notices of metadata, failed pieces and bans change no torrent and call for nothing', () => {
  const start = run([{ type: 'snapshot', torrents: [torrent(A, 'DOWNLOADING')], approvals: [], wallet }]).view;
  const peer = { address: '127.0.0.1:6881', peerId: 'c'.repeat(40) };
  for (const notice of [
    { type: 'metadata_received', infoHash: A, name: 'x', totalBytes: 1000, files: 1 },
    { type: 'piece_failed', infoHash: A, piece: 3, contributors: [peer] },
    { type: 'peer_banned', infoHash: A, peer, reason: 'sent data for pieces that failed their hash check' },
  ]) {
    const { view, effects } = applyEvent(start, notice);
    assert.equal(view, start, notice.type);
    assert.deepEqual(effects, [], notice.type);
  }
});
