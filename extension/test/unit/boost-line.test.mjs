import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boostLine } from '../../src/lib/boost-line.js';

const BTT = 10n ** 18n;
const base = (btt) => (BigInt(btt) * BTT).toString();

test('no boost status, nothing to say', () => {
  assert.equal(boostLine(null), '');
  assert.equal(boostLine(undefined), '');
});

test('a boost below the ask shows the ask, the effective bid and why it is idle', () => {
  const line = boostLine({
    budgetId: 'b1', askBaseUnits: base(100), rateBaseUnits: base(32),
    note: "at least 6.25 BTT needed for this torrent at the sellers' asks (2 BTT left in the budget)",
  });
  assert.equal(line, "sellers ask 100 BTT/GiB · your bid 32 BTT/GiB · idle: at least 6.25 BTT needed for this torrent at the sellers' asks (2 BTT left in the budget)");
});

test('a running boost shows the ask and the bid, no reason', () => {
  assert.equal(boostLine({ budgetId: 'b1', askBaseUnits: base(100), rateBaseUnits: base(1500), note: null }),
    'sellers ask 100 BTT/GiB · your bid 1,500 BTT/GiB');
});

test('a seeder that only earns shows nothing about bids', () => {
  assert.equal(boostLine({ budgetId: null, askBaseUnits: null, rateBaseUnits: '0', note: null }), '');
});

test('a boost with no seller connected says so', () => {
  assert.equal(boostLine({ budgetId: 'b1', askBaseUnits: null, rateBaseUnits: '0', note: 'no peer selling paid slots is connected yet' }),
    'your bid 0 BTT/GiB · idle: no peer selling paid slots is connected yet');
});
