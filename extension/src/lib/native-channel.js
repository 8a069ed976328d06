// The trusted channel (DESIGN.md "Processes and trust"): runtime.connectNative to the helper's relay
// host, which answers `hello` with the API address and token (protocol-spec/native-messaging.md).
// Requests carry an id; the host echoes it in exactly one reply.

export const NATIVE_HOST_NAME = 'dev.magnetar.helper';

/** Why the native port closed, from the browser's lastError text. */
export function classifyDisconnect(message) {
  const text = String(message ?? '');
  // Chromium: "Specified native messaging host not found." Firefox: "No such native application dev.magnetar.helper"
  if (/host not found|no such native application/i.test(text)) return 'not_installed';
  // Chromium: "Access to the specified native messaging host is forbidden." (origin not in allowed_origins)
  if (/forbidden/i.test(text)) return 'forbidden';
  // Chromium: "Native host has exited." / "Error when communicating with the native messaging host."
  if (/exited|communicating/i.test(text)) return 'host_exited';
  return 'disconnected';
}

export class NativeHostError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'NativeHostError';
    this.code = code;
  }
}

/**
 * One connectNative port with request/reply matching. `connect` is runtime.connectNative (injected so
 * unit tests can drive a fake port).
 */
export class NativeChannel {
  constructor(connect, { replyTimeoutMs = 40_000, lastError = () => undefined } = {}) {
    this.replyTimeoutMs = replyTimeoutMs;
    this.pending = new Map();
    this.nextId = 1;
    this.closed = null;
    this.closeListeners = [];
    this.port = connect(NATIVE_HOST_NAME);
    this.port.onMessage.addListener((message) => this.onMessage(message));
    this.port.onDisconnect.addListener((port) => {
      // Chromium puts the reason in runtime.lastError; Firefox on port.error.
      const reason = port?.error?.message ?? lastError()?.message ?? 'the native host closed the connection';
      this.onClose(reason);
    });
  }

  onMessage(message) {
    const waiter = message && typeof message.id === 'string' ? this.pending.get(message.id) : undefined;
    if (!waiter) return; // unsolicited or late: nothing waits for it
    this.pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.type === 'error') waiter.reject(new NativeHostError(message.code ?? 'ERROR', message.message ?? 'the native host reported an error'));
    else if (message.type !== waiter.expect) waiter.reject(new NativeHostError('UNEXPECTED_REPLY', `expected ${waiter.expect}, got ${message.type}`));
    else waiter.resolve(message);
  }

  onClose(reason) {
    if (this.closed) return;
    this.closed = { reason, kind: classifyDisconnect(reason) };
    for (const [, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject(new NativeHostError(this.closed.kind.toUpperCase(), reason));
    }
    this.pending.clear();
    for (const listener of this.closeListeners) listener(this.closed);
  }

  onClosed(listener) {
    if (this.closed) listener(this.closed);
    else this.closeListeners.push(listener);
  }

  request(type, fields, expect) {
    if (this.closed) return Promise.reject(new NativeHostError(this.closed.kind.toUpperCase(), this.closed.reason));
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new NativeHostError('TIMEOUT', `the native host did not answer ${type} within ${this.replyTimeoutMs / 1000} s`));
      }, this.replyTimeoutMs);
      this.pending.set(id, { resolve, reject, timer, expect });
      try {
        this.port.postMessage({ type, id, ...fields });
      } catch (e) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new NativeHostError('DISCONNECTED', String(e?.message ?? e)));
      }
    });
  }

  hello(extensionVersion) {
    return this.request('hello', { extensionVersion }, 'hello_reply');
  }

  addMagnet(uri) {
    return this.request('add_magnet', { uri }, 'add_magnet_reply');
  }

  /**
   * Asks the host to show a torrent's folder (no fileIndex) or one of its files in the desktop's file
   * manager / default application. Only the host may start programs: the HTTP API never does.
   */
  open(infoHash, fileIndex = null) {
    return this.request('open', fileIndex === null ? { infoHash } : { infoHash, fileIndex }, 'open_reply');
  }

  disconnect() {
    try { this.port.disconnect(); } catch { /* already gone */ }
    this.onClose('disconnected by the extension');
  }
}

/** Exponential backoff for reconnecting: 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffDelayMs(attempt, { baseMs = 1000, maxMs = 30_000 } = {}) {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 20)));
}
