import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachability } from '../../src/lib/reachability.js';

const status = (portMapping) => ({ peerPort: 40000, portMapping: {
  state: 'off', method: null, externalAddress: null, externalTcpPort: null, externalUdpPort: null, gateway: null, message: null, ...portMapping,
} });

test('a mapped port shows the address peers outside dial and who forwarded it', () => {
  const r = reachability(status({ state: 'mapped', method: 'nat-pmp', externalAddress: '203.0.113.7', externalTcpPort: 40001, externalUdpPort: 40001 }));
  assert.equal(r.text, 'Reachable from outside at 203.0.113.7:40001 (router port forwarded by NAT-PMP).');
  assert.equal(r.ok, true);
});

test('a mapping without a known external address still names the port', () => {
  assert.match(reachability(status({ state: 'mapped', method: 'upnp', externalTcpPort: 40000 })).text, /at port 40000 .*UPnP/);
});

test('searching, failed and off say so, with the helper\'s reason', () => {
  assert.match(reachability(status({ state: 'searching' })).text, /Asking the router to forward peer port 40000/);
  const failed = reachability(status({ state: 'failed', message: 'the router did not map port 40000' }));
  assert.match(failed.text, /not forwarded: the router did not map port 40000/);
  assert.equal(failed.ok, false);
  assert.equal(reachability(status({ state: 'off', message: 'switched off in the settings' })).text,
    'Peer port 40000; port mapping off (switched off in the settings).');
});

test('no engine or no answer shows nothing', () => {
  assert.equal(reachability(null).text, '');
  assert.equal(reachability({ peerPort: 0, portMapping: { state: 'off' } }).text, '');
});
