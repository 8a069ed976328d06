// Content script (every page): takes over clicks on magnet: links and on links to .torrent files before
// the page or the browser acts on them — capture phase on the document, so links added after load are
// caught too (delegation) — and hands the link (or the fetched file) to the extension. A small toast
// tells the user what happened.
(() => {
  const ext = globalThis.browser ?? globalThis.chrome;
  if (globalThis.__magnetarCaptureInstalled) return;
  globalThis.__magnetarCaptureInstalled = true;

  /** The clicked link Magnetar takes: { kind: 'magnet' | 'torrent', href }, or null. */
  function linkOf(event) {
    const path = typeof event.composedPath === 'function' ? event.composedPath() : [event.target];
    for (const node of path) {
      if (!node || node.nodeType !== 1) continue;
      const tag = node.localName;
      if (tag !== 'a' && tag !== 'area') continue;
      // SVG <a> has an animated href; HTML anchors resolve it to a URL string.
      const raw = typeof node.href === 'string' ? node.href : node.href?.baseVal ?? node.getAttribute('href');
      const href = typeof raw === 'string' ? raw.trim() : '';
      if (/^magnet:\?/i.test(href)) return { kind: 'magnet', href, anchor: node };
      if (isTorrentFileUrl(href) || (/^https?:/i.test(href) && node.getAttribute('type') === 'application/x-bittorrent')) {
        return { kind: 'torrent', href, anchor: node };
      }
      return null;
    }
    return null;
  }

  // lib/torrent-file.js says the same (content scripts are not modules, so it is repeated here).
  function isTorrentFileUrl(href) {
    try {
      const url = new URL(href);
      return (url.protocol === 'http:' || url.protocol === 'https:') && /\.torrent$/i.test(url.pathname);
    } catch {
      return false;
    }
  }

  /** The helper's limit (ApiRoutes: 10 MiB of base64 in JSON); lib/torrent-file.js checks it again. */
  const MAX_TORRENT_FILE_BYTES = 7.5 * 1024 * 1024;

  /**
   * Fetched here rather than in the background: as the page, with its cookies, which private trackers
   * need for their download links (and the extension has no host permission beyond the helper).
   */
  async function fetchTorrentFile(href) {
    const response = await fetch(href, { credentials: 'include', redirect: 'follow' });
    if (!response.ok) throw new Error(`the site answered HTTP ${response.status}`);
    const blob = await response.blob();
    if (blob.size > MAX_TORRENT_FILE_BYTES) throw new Error(`the file is ${blob.size} bytes, more than Magnetar takes`);
    // A data: URL, not the bytes of an ArrayBuffer: in Firefox the response's buffer belongs to another
    // compartment, and reading it from a content script fails ("Permission denied to access property").
    const dataUrl = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
      reader.readAsDataURL(blob);
    });
    return dataUrl.slice(dataUrl.indexOf(',') + 1);
  }

  // Set by the background while the helper is not installed: clicks then go to the browser's own
  // magnet handler (another torrent client), as if Magnetar were not there.
  let helperMissing = false;
  ext.storage.local.get('helperMissing').then((v) => { helperMissing = v.helperMissing === true; }, () => {});
  ext.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.helperMissing) helperMissing = changes.helperMissing.newValue === true;
  });

  function onClick(event) {
    // Only the user's own gesture adds a link. A click the page's script makes (a.click(),
    // dispatchEvent) is untrusted (DOM Standard, Event.isTrusted): leave it to the browser, as if
    // Magnetar were not installed, so that a page cannot add torrents by itself.
    if (!event.isTrusted) return;
    if (event.button !== 0 && event.button !== 1) return; // left or middle click (and Enter, which clicks)
    const link = linkOf(event);
    if (!link) return;
    if (helperMissing) {
      // Let the browser have this one, and have the extension look again: if the helper has been
      // installed since, the next click is Magnetar's.
      try { ext.runtime.sendMessage({ type: 'recheck' })?.catch?.(() => {}); } catch { /* extension reloaded */ }
      return;
    }
    event.preventDefault();
    // Shift+click: ask where to save and which files, once the metadata is known (the add dialog).
    const choose = event.shiftKey === true;
    const sent = link.kind === 'magnet'
      ? send({ type: 'magnet', uri: link.href, choose })
      : fetchTorrentFile(link.href).then(
        (torrentBase64) => send({ type: 'torrentFile', url: link.href, torrentBase64, choose }),
        (e) => {
          // Nothing was added: give the link back to the browser, which downloads the file as usual.
          // Our listener ignores this click, since a script made it (isTrusted is false).
          link.anchor.click();
          return { ok: false, code: 'FETCH_FAILED', message: `could not fetch the .torrent file (${e.message}); the browser downloads it instead` };
        });
    Promise.resolve(sent).then(
      (reply) => {
        if (reply?.ok && reply.duplicate) toast('ok', `“${reply.name}” is already in your Magnetar list (${reply.state}).`);
        else if (reply?.ok && reply.choosing) toast('ok', `Magnetar added “${reply.name}”: choose its folder and files in Magnetar’s window.`);
        else if (reply?.ok) toast('ok', `Magnetar is downloading “${reply.name}”.`);
        else if (reply?.code === 'ASKING') toast('ask', reply.message);
        else toast('fail', `Magnetar could not add the link: ${reply?.message ?? 'no answer from the extension'}`);
      },
      (e) => toast('fail', `Magnetar could not add the link: ${e.message}`),
    );
  }

  function send(message) {
    try {
      return ext.runtime.sendMessage(message);
    } catch (e) {
      return Promise.reject(new Error(`Magnetar is not available in this tab any more (reload the page): ${e.message}`));
    }
  }

  let host = null;
  /** kind: 'ok' (added), 'ask' (waits for the user's answer in Magnetar's window) or 'fail'. */
  function toast(kind, text) {
    if (!host || !host.isConnected) {
      host = document.createElement('magnetar-toast');
      host.attachShadow({ mode: 'open' });
      (document.body ?? document.documentElement).appendChild(host);
    }
    const box = document.createElement('div');
    box.setAttribute('role', kind === 'fail' ? 'alert' : 'status');
    box.className = kind;
    box.textContent = text;
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483647; max-width: min(28rem, 90vw); }
      div { font: 0.9rem/1.4 system-ui, sans-serif; padding: 0.6rem 0.9rem; border-radius: 0.4rem; color: #fff;
            box-shadow: 0 0.2rem 0.6rem rgba(0,0,0,.3); overflow-wrap: anywhere; }
      .ok { background: #1b5e20; } .ask { background: #8a4b00; } .fail { background: #8e0000; }`;
    host.shadowRoot.replaceChildren(style, box);
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => host?.remove(), 8000);
  }

  document.addEventListener('click', onClick, true);
  document.addEventListener('auxclick', onClick, true);
})();
