import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NativeChannel, classifyDisconnect, backoffDelayMs, NATIVE_HOST_NAME } from '../../src/lib/native-channel.js';

function fakePort() {
  const port = {
    sent: [], msgListeners: [], discListeners: [], error: undefined,
    onMessage: { addListener: (l) => port.msgListeners.push(l) },
    onDisconnect: { addListener: (l) => port.discListeners.push(l) },
    postMessage: (m) => port.sent.push(m),
    disconnect: () => {},
    reply: (m) => port.msgListeners.forEach((l) => l(m)),
    drop: (message) => { port.error = { message }; port.discListeners.forEach((l) => l(port)); },
  };
  return port;
}

test('hello gets its reply by id', async () => {
  const port = fakePort();
  let name;
  const ch = new NativeChannel((n) => { name = n; return port; });
  assert.equal(name, NATIVE_HOST_NAME);
  const p = ch.hello('0.1.0');
  assert.deepEqual(port.sent, [{ type: 'hello', id: '1', extensionVersion: '0.1.0' }]);
  port.reply({ type: 'status_reply', id: '99', torrents: [] }); // not ours: ignored
  port.reply({ type: 'hello_reply', id: '1', apiBase: 'http://127.0.0.1:1/api/v1', token: 't' });
  assert.equal((await p).apiBase, 'http://127.0.0.1:1/api/v1');
});

test('an error reply rejects with the host\'s code', async () => {
  const port = fakePort();
  const ch = new NativeChannel(() => port);
  const p = ch.hello('0.1.0');
  port.reply({ type: 'error', id: '1', code: 'DAEMON_UNAVAILABLE', message: 'see logs/daemon.log' });
  await assert.rejects(p, (e) => e.code === 'DAEMON_UNAVAILABLE' && /daemon.log/.test(e.message));
});

test('a missing host fails pending requests as not installed', async () => {
  const port = fakePort();
  const ch = new NativeChannel(() => port);
  const p = ch.hello('0.1.0');
  const closed = new Promise((r) => ch.onClosed(r));
  port.drop('Specified native messaging host not found.');
  await assert.rejects(p, (e) => e.code === 'NOT_INSTALLED');
  assert.equal((await closed).kind, 'not_installed');
  await assert.rejects(ch.hello('0.1.0'), (e) => e.code === 'NOT_INSTALLED');
});

test('no reply within the timeout is a typed TIMEOUT', async () => {
  const ch = new NativeChannel(() => fakePort(), { replyTimeoutMs: 5 });
  await assert.rejects(ch.hello('0.1.0'), (e) => e.code === 'TIMEOUT');
});

test('disconnect reasons from Chromium and Firefox are classified', () => {
  assert.equal(classifyDisconnect('Specified native messaging host not found.'), 'not_installed');
  assert.equal(classifyDisconnect('No such native application dev.magnetar.helper'), 'not_installed');
  assert.equal(classifyDisconnect('Access to the specified native messaging host is forbidden.'), 'forbidden');
  assert.equal(classifyDisconnect('Native host has exited.'), 'host_exited');
  assert.equal(classifyDisconnect(undefined), 'disconnected');
});

test('backoff doubles up to a cap', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelayMs(a)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('open asks for the folder without a file index, or for one file, and waits for open_reply', async () => {
  const port = fakePort();
  const ch = new NativeChannel(() => port);
  const folder = ch.open('a'.repeat(40));
  const file = ch.open('a'.repeat(40), 3);
  assert.deepEqual(port.sent, [
    { type: 'open', id: '1', infoHash: 'a'.repeat(40) },
    { type: 'open', id: '2', infoHash: 'a'.repeat(40), fileIndex: 3 },
  ]);
  port.reply({ type: 'open_reply', id: '1', opened: '/downloads/album' });
  port.reply({ type: 'error', id: '2', code: 'PATH_NOT_FOUND', message: '01.flac is not downloaded yet' });
  assert.equal((await folder).opened, '/downloads/album');
  await assert.rejects(file, (e) => e.code === 'PATH_NOT_FOUND' && /not downloaded yet/.test(e.message));
});
