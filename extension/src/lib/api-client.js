// Client of the helper's local HTTP API (protocol-spec/http-api.yaml). Every request carries the bearer
// token learnt over native messaging; state changes are POST/DELETE with a JSON body, as the helper
// requires (it refuses them otherwise with 415, which is what stops a web page's form post).

/** The helper answered with an error body { code, message } (codes: http-api.yaml components Error). */
export class HelperApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = 'HelperApiError';
    this.code = code;
    this.status = status;
  }
}

/** Nothing answered at the API address: the daemon stopped, or its port changed. Ask the native host again. */
export class HelperUnreachableError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'HelperUnreachableError';
    this.code = 'HELPER_UNREACHABLE';
    this.cause = cause;
  }
}

const INFO_HASH = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

export class ApiClient {
  /** @param {{apiBase: string, token: string, fetch?: typeof fetch}} options */
  constructor({ apiBase, token, fetch: fetchImpl }) {
    if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):[0-9]+\/api\/v1$/.test(apiBase)) {
      // The token must never go anywhere but the loopback helper.
      throw new HelperApiError('INVALID_API_BASE', `the helper announced a non-loopback API address: ${apiBase}`, 0);
    }
    this.apiBase = apiBase;
    this.token = token;
    this.fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
  }

  async request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body ?? {});
    }
    let response;
    try {
      response = await this.fetch(`${this.apiBase}${path}`, init);
    } catch (e) {
      throw new HelperUnreachableError(`the Magnetar helper does not answer at ${this.apiBase}`, e);
    }
    const text = await response.text();
    let json = null;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!response.ok) {
      if (json && typeof json.code === 'string' && typeof json.message === 'string') {
        throw new HelperApiError(json.code, json.message, response.status);
      }
      throw new HelperApiError(`HTTP_${response.status}`, `the helper answered HTTP ${response.status} without an error body`, response.status);
    }
    if (response.status === 204) return null; // No Content: a revoke or delete that has nothing to say
    if (json === null) {
      throw new HelperApiError('MALFORMED_REPLY', `the helper's reply to ${method} ${path} is not JSON`, response.status);
    }
    return json;
  }

  health() { return this.request('GET', '/health'); }
  listTorrents() { return this.request('GET', '/torrents'); }
  /** options: { awaitChoice: true } holds it, once its metadata is known, for start() (the add dialog). */
  addMagnet(uri, options = {}) { return this.request('POST', '/torrents/magnet', { uri, ...options }); }
  addTorrentFile(torrentBase64, options = {}) { return this.request('POST', '/torrents/file', { torrentBase64, ...options }); }
  start(infoHash, { downloadDir, skipFiles, playFile = null }) {
    return this.request('POST', `/torrents/${hash(infoHash)}/start`, playFile === null ? { downloadDir, skipFiles } : { downloadDir, skipFiles, playFile });
  }
  pause(infoHash) { return this.request('POST', `/torrents/${hash(infoHash)}/pause`, {}); }
  resume(infoHash) { return this.request('POST', `/torrents/${hash(infoHash)}/resume`, {}); }
  recheck(infoHash) { return this.request('POST', `/torrents/${hash(infoHash)}/recheck`, {}); }
  remove(infoHash, deleteData) { return this.request('DELETE', `/torrents/${hash(infoHash)}`, { deleteData: Boolean(deleteData) }); }
  boost(infoHash, { capBtt, ratePerGiBBtt, originPage = null, expiresInSeconds = null }) {
    const body = { capBtt, ratePerGiBBtt };
    if (originPage) body.originPage = originPage;
    if (expiresInSeconds) body.expiresInSeconds = expiresInSeconds;
    return this.request('POST', `/torrents/${hash(infoHash)}/boost`, body);
  }
  wallet() { return this.request('GET', '/wallet'); }
  walletBalance() { return this.request('GET', '/wallet/balance'); }
  unlockWallet(password) { return this.request('POST', '/wallet/unlock', { password }); }
  lockWallet() { return this.request('POST', '/wallet/lock', {}); }
  newRecoveryPhrase() { return this.request('POST', '/wallet/recovery-phrase', {}); }
  /** Exactly one of recoveryPhrase and privateKeyHex (the helper refuses both or neither). */
  importWallet({ recoveryPhrase, privateKeyHex, password }) {
    const body = { password };
    if (recoveryPhrase !== undefined) body.recoveryPhrase = recoveryPhrase;
    if (privateKeyHex !== undefined) body.privateKeyHex = privateKeyHex;
    return this.request('POST', '/wallet/import', body);
  }
  faucet() { return this.request('POST', '/wallet/faucet', {}); }
  approvals() { return this.request('GET', '/approvals'); }
  approve(id, password) { return this.request('POST', `/approvals/${encodeURIComponent(id)}/approve`, { password }); }
  reject(id) { return this.request('POST', `/approvals/${encodeURIComponent(id)}/reject`, {}); }
  revoke(id) { return this.request('POST', `/approvals/${encodeURIComponent(id)}/revoke`, {}); }
  torrent(infoHash) { return this.request('GET', `/torrents/${hash(infoHash)}`); }
  setFilePriority(infoHash, fileIndex, priority) {
    return this.request('POST', `/torrents/${hash(infoHash)}/files/${index(fileIndex)}/priority`, { priority });
  }
  setLimits(infoHash, { downloadBytesPerSecond, uploadBytesPerSecond }) {
    return this.request('POST', `/torrents/${hash(infoHash)}/limits`, { downloadBytesPerSecond, uploadBytesPerSecond });
  }
  /** goal: { ratioLimit, seedingTimeLimitMinutes } of its own, or { useGlobal: true }. */
  setSeedingGoal(infoHash, goal) { return this.request('POST', `/torrents/${hash(infoHash)}/seeding-goal`, goal); }
  /** A capability URL for one file, for the player's media element (the token stays here). */
  streamGrant(infoHash, fileIndex, ttlSeconds = null) {
    return this.request('POST', `/torrents/${hash(infoHash)}/files/${index(fileIndex)}/stream`, ttlSeconds ? { ttlSeconds } : {});
  }
  /** The grant with the file's downloaded ranges, read-ahead, rate and peers. */
  stream(id) { return this.request('GET', `/streams/${encodeURIComponent(id)}`); }
  streams() { return this.request('GET', '/streams'); }
  revokeStream(id) { return this.request('DELETE', `/streams/${encodeURIComponent(id)}`, {}); }
  /** The helper opens the file (complete) or its stream URL in the desktop's default player. */
  openInPlayer(infoHash, fileIndex) { return this.request('POST', `/torrents/${hash(infoHash)}/files/${index(fileIndex)}/open`, {}); }
  /** The peer port and whether the router forwards it (port mapping). */
  network() { return this.request('GET', '/network'); }
  settings() { return this.request('GET', '/settings'); }
  updateSettings(update) { return this.request('POST', '/settings', update); }
}

function index(fileIndex) {
  if (!Number.isInteger(fileIndex) || fileIndex < 0) throw new HelperApiError('INVALID_REQUEST', `not a file index: ${fileIndex}`, 0);
  return fileIndex;
}

function hash(infoHash) {
  const h = String(infoHash).toLowerCase();
  if (!INFO_HASH.test(h)) throw new HelperApiError('INVALID_REQUEST', `not an info-hash: ${infoHash}`, 0);
  return h;
}

/** events.md: browsers cannot set headers on a WebSocket handshake, so the token rides in the subprotocols. */
export function eventSubprotocols(token) {
  return ['magnetar.v1', `bearer.${token}`];
}

/** What the user should read for an error from the helper (or from reaching it). */
export function describeError(error) {
  const code = error?.code;
  switch (code) {
    case 'HELPER_UNREACHABLE': return 'The Magnetar helper is not running. It starts again when the browser reconnects.';
    case 'UNAUTHORIZED': return 'The helper restarted; reconnecting…';
    case 'WRONG_PASSWORD': return 'Wrong wallet password.';
    case 'WALLET_LOCKED': return 'The wallet is locked: unlock it first.';
    case 'NO_WALLET': return 'There is no wallet yet: set one up on the Wallet page (from the popup).';
    case 'WALLET_EXISTS':
    case 'FAUCET_UNAVAILABLE':
    case 'ENGINE_UNAVAILABLE':
    case 'HELPER_STARTING':
    case 'CHAIN_UNAVAILABLE':
    case 'INVALID_TORRENT':
    case 'BOOST_CANNOT_BUY':
    case 'INVALID_REQUEST':
    case 'INVALID_TRANSITION':
    case 'TORRENT_NOT_FOUND':
    case 'APPROVAL_NOT_FOUND':
      return error.message; // the helper's own words say what to do next
    default:
      return error?.message ? String(error.message) : 'Something went wrong talking to the helper.';
  }
}
