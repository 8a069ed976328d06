import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, HelperApiError, HelperUnreachableError, eventSubprotocols, describeError } from '../../src/lib/api-client.js';

const BASE = 'http://127.0.0.1:40123/api/v1';
const TOKEN = 'sLUAlfqiyu1JOtUw2-jmMoYSDzLDEedwQzZcUwyDh8Q';

function fakeFetch(status, body, seen = []) {
  return async (url, init) => {
    seen.push({ url, init });
    return { ok: status >= 200 && status < 300, status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  };
}

test('sends the bearer token; state changes are JSON POSTs', async () => {
  const seen = [];
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(201, { infoHash: 'a'.repeat(40) }, seen) });
  const t = await api.addMagnet('magnet:?xt=urn:btih:' + 'a'.repeat(40));
  assert.equal(t.infoHash, 'a'.repeat(40));
  assert.equal(seen[0].url, `${BASE}/torrents/magnet`);
  assert.equal(seen[0].init.method, 'POST');
  assert.equal(seen[0].init.headers.Authorization, `Bearer ${TOKEN}`);
  assert.equal(seen[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(seen[0].init.body), { uri: 'magnet:?xt=urn:btih:' + 'a'.repeat(40) });
  await api.listTorrents();
  assert.equal(seen[1].init.method, 'GET');
  assert.equal(seen[1].init.body, undefined);
});

test('error bodies become HelperApiError with the helper\'s code and message', async () => {
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(503, { code: 'ENGINE_UNAVAILABLE', message: 'no engine' }) });
  await assert.rejects(api.addMagnet('magnet:?xt=urn:btih:' + 'a'.repeat(40)),
    (e) => e instanceof HelperApiError && e.code === 'ENGINE_UNAVAILABLE' && e.status === 503 && e.message === 'no engine');
});

test('a reply without an error body, or one that is not JSON, is still typed', async () => {
  await assert.rejects(new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(502, '<html>') }).health(),
    (e) => e instanceof HelperApiError && e.code === 'HTTP_502');
  await assert.rejects(new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(200, 'not json') }).health(),
    (e) => e instanceof HelperApiError && e.code === 'MALFORMED_REPLY');
});

test('a refused connection is HelperUnreachableError', async () => {
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: async () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(api.health(), (e) => e instanceof HelperUnreachableError && e.code === 'HELPER_UNREACHABLE');
});

test('the token is never sent to a non-loopback address', () => {
  assert.throws(() => new ApiClient({ apiBase: 'http://evil.example:80/api/v1', token: TOKEN, fetch: fakeFetch(200, {}) }),
    (e) => e.code === 'INVALID_API_BASE');
});

test('bad info-hashes are refused before any request', async () => {
  const seen = [];
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(200, {}, seen) });
  await assert.rejects(async () => api.pause('../wallet'), (e) => e.code === 'INVALID_REQUEST');
  assert.equal(seen.length, 0);
});

test('recheck is a JSON POST to the torrent\'s recheck route; a torrent without metadata answers INVALID_TRANSITION', async () => {
  const seen = [];
  await new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(200, { state: 'CHECKING' }, seen) }).recheck('A'.repeat(40));
  assert.equal(seen[0].url, `${BASE}/torrents/${'a'.repeat(40)}/recheck`);
  assert.equal(seen[0].init.method, 'POST');
  assert.deepEqual(JSON.parse(seen[0].init.body), {});
  const refused = new ApiClient({ apiBase: BASE, token: TOKEN,
    fetch: fakeFetch(409, { code: 'INVALID_TRANSITION', message: 'no metadata yet: there is nothing to check until it arrives' }) });
  await assert.rejects(refused.recheck('a'.repeat(40)), (e) => e.code === 'INVALID_TRANSITION' && e.status === 409);
  await assert.rejects(async () => refused.recheck('../wallet'), (e) => e.code === 'INVALID_REQUEST');
});

test('boost and remove send the spec\'s fields', async () => {
  const seen = [];
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(200, {}, seen) });
  await api.boost('A'.repeat(40), { capBtt: '10', ratePerGiBBtt: '0.5', originPage: 'http://127.0.0.1/page' });
  await api.remove('a'.repeat(40), true);
  assert.equal(seen[0].url, `${BASE}/torrents/${'a'.repeat(40)}/boost`);
  assert.deepEqual(JSON.parse(seen[0].init.body), { capBtt: '10', ratePerGiBBtt: '0.5', originPage: 'http://127.0.0.1/page' });
  assert.equal(seen[1].init.method, 'DELETE');
  assert.deepEqual(JSON.parse(seen[1].init.body), { deleteData: true });
});

test('events subprotocols carry the token; errors read as user text', () => {
  assert.deepEqual(eventSubprotocols(TOKEN), ['magnetar.v1', `bearer.${TOKEN}`]);
  assert.match(describeError(new HelperApiError('WRONG_PASSWORD', 'x', 403)), /Wrong wallet password/);
  assert.equal(describeError(new HelperApiError('ENGINE_UNAVAILABLE', 'helper words', 503)), 'helper words');
  assert.match(describeError(new HelperUnreachableError('x')), /not running/);
});

test('wallet setup: a new phrase, an import with exactly the secret given, the faucet, and a file priority', async () => {
  const seen = [];
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(200, {}, seen) });
  await api.newRecoveryPhrase();
  await api.importWallet({ recoveryPhrase: 'abandon about', password: 'long password' });
  await api.importWallet({ privateKeyHex: 'ab'.repeat(32), password: 'long password' });
  await api.faucet();
  await api.setFilePriority('A'.repeat(40), 2, 7);
  assert.deepEqual(seen.map((s) => [s.init.method, s.url.slice(BASE.length), JSON.parse(s.init.body)]), [
    ['POST', '/wallet/recovery-phrase', {}],
    ['POST', '/wallet/import', { password: 'long password', recoveryPhrase: 'abandon about' }],
    ['POST', '/wallet/import', { password: 'long password', privateKeyHex: 'ab'.repeat(32) }],
    ['POST', '/wallet/faucet', {}],
    ['POST', `/torrents/${'a'.repeat(40)}/files/2/priority`, { priority: 7 }],
  ]);
  assert.throws(() => api.setFilePriority('a'.repeat(40), -1, 4), (e) => e.code === 'INVALID_REQUEST');
  assert.throws(() => api.setFilePriority('a'.repeat(40), '0/../../shutdown', 4), (e) => e.code === 'INVALID_REQUEST');
});

test('start: the add dialog\'s choice, and the file Play was pressed on only when there is one', async () => {
  const seen = [];
  const hash = 'd'.repeat(40);
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(200, {}, seen) });
  await api.start(hash, { downloadDir: '/home/u/Downloads', skipFiles: [1] });
  await api.start(hash, { downloadDir: '/home/u/Downloads', skipFiles: [], playFile: 2 });
  assert.deepEqual(seen.map((s) => [s.url.slice(BASE.length), JSON.parse(s.init.body)]), [
    [`/torrents/${hash}/start`, { downloadDir: '/home/u/Downloads', skipFiles: [1] }],
    [`/torrents/${hash}/start`, { downloadDir: '/home/u/Downloads', skipFiles: [], playFile: 2 }],
  ]);
});

test('stream routes: a grant per file, its live facts, revoke (204, no body) and open in the desktop player', async () => {
  const seen = [];
  const hash = 'c'.repeat(40);
  const grant = { id: 'g1', url: 'http://127.0.0.1:40123/stream/cap/film.mp4' };
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(201, grant, seen) });
  assert.deepEqual(await api.streamGrant(hash, 2), grant);
  assert.equal(seen[0].url, `${BASE}/torrents/${hash}/files/2/stream`);
  assert.equal(seen[0].init.method, 'POST');
  assert.deepEqual(JSON.parse(seen[0].init.body), {});
  await api.streamGrant(hash, 2, 600);
  assert.deepEqual(JSON.parse(seen[1].init.body), { ttlSeconds: 600 });
  await api.stream('g/1');
  assert.equal(seen[2].url, `${BASE}/streams/g%2F1`);
  assert.equal(seen[2].init.method, 'GET');
  await api.openInPlayer(hash, 0);
  assert.equal(seen[3].url, `${BASE}/torrents/${hash}/files/0/open`);
  const revoked = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(204, '', seen) });
  assert.equal(await revoked.revokeStream('g1'), null);
  assert.equal(seen[4].init.method, 'DELETE');
});

test('a file index that is not a whole number is refused before anything is sent', async () => {
  const seen = [];
  const api = new ApiClient({ apiBase: BASE, token: TOKEN, fetch: fakeFetch(201, {}, seen) });
  for (const bad of [-1, 1.5, '2', NaN]) {
    assert.throws(() => api.streamGrant('c'.repeat(40), bad), (e) => e instanceof HelperApiError && e.code === 'INVALID_REQUEST', String(bad));
  }
  assert.throws(() => api.openInPlayer('c'.repeat(40), '../1'), (e) => e.code === 'INVALID_REQUEST');
  assert.equal(seen.length, 0);
});
