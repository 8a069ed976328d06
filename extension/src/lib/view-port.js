// How extension pages (popup, approval window, options) talk to the background: a port that receives
// the whole state on every change, and commands that answer { ok, result } or a typed failure.
import { ext } from './browser.js';

export class CommandError extends Error {
  /** status: the helper's HTTP status when it answered with an error (409, 404…), else null. */
  constructor(code, message, status = null) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.status = status;
  }
}

export function connectView(name, onState) {
  const port = ext.runtime.connect({ name });
  port.onMessage.addListener((m) => { if (m?.type === 'state') onState(m.state); });
  return port;
}

export async function command(action, fields = {}) {
  const reply = await ext.runtime.sendMessage({ type: 'command', action, ...fields });
  if (!reply?.ok) throw new CommandError(reply?.code ?? 'NO_ANSWER', reply?.message ?? 'the extension did not answer', reply?.status ?? null);
  return reply.result;
}

/** Small DOM helper: element with attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}
