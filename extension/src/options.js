// Options: helper status, the helper's own settings (download folder, network, port mapping, global rate
// limits, selling: the ask and the TRON node) and this browser's.
import { ext } from './lib/browser.js';
import { connectView, command, h } from './lib/view-port.js';
import { setupHint } from './lib/setup-hint.js';
import { kibPerSecondToBytes, bytesToKibPerSecondText } from './lib/rate-limit.js';
import { parseRatio, parseMinutes, limitText, goalText } from './lib/seeding-goal.js';
import { formatRate, normaliseAmount } from './lib/format.js';

const $ = (id) => document.getElementById(id);
let filled = false;

connectView('options', (state) => {
  const c = state.connection;
  $('helper-status').textContent = c.status === 'connected'
    ? `Connected: helper ${state.helperVersion}, extension ${state.extensionVersion}.`
    : `Not connected (${c.status.replace('_', ' ')}).`;
  const hint = setupHint(c, state.helperCommand);
  $('helper-hint').replaceChildren(...(hint ? [h('p', { text: hint.title }), ...hint.paragraphs.map((p) => (typeof p === 'string' ? h('p', { text: p }) : h('pre', {}, h('code', { text: p.code }))))] : []));
  const s = state.settings;
  const editable = c.status === 'connected' && s;
  for (const id of ['download-dir', 'network', 'quit-with-browser', 'port-mapping', 'utp', 'download-limit', 'upload-limit', 'seed-ratio', 'seed-minutes', 'ask', 'chain-endpoint', 'save']) $(id).disabled = !editable;
  if (s && !filled) {
    $('download-dir').value = s.downloadDir;
    $('network').value = s.network;
    $('quit-with-browser').checked = s.quitWithBrowser;
    $('port-mapping').checked = s.portMapping !== false;
    $('utp').checked = s.utp !== false; // on unless switched off (an older helper may not send it)
    $('download-limit').value = bytesToKibPerSecondText(s.downloadBytesPerSecond);
    $('upload-limit').value = bytesToKibPerSecondText(s.uploadBytesPerSecond);
    $('seed-ratio').value = limitText(s.seedRatioLimit);
    $('seed-minutes').value = limitText(s.seedingTimeLimitMinutes);
    $('ask').value = s.askPerGiBBtt ?? '0';
    $('chain-endpoint').value = s.chainEndpoint ?? '';
    $('mainnet-note').hidden = s.network !== 'mainnet';
    filled = true;
  }
});

$('network').addEventListener('change', () => { $('mainnet-note').hidden = $('network').value !== 'mainnet'; });

$('settings').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('settings-message').textContent = '';
  try {
    // A malformed ask is named here, before anything is sent; the helper gets plain decimal BTT.
    const ask = normaliseAmount($('ask').value.trim() === '' ? '0' : $('ask').value.trim());
    const saved = await command('updateSettings', { update: {
      downloadDir: $('download-dir').value.trim(),
      network: $('network').value,
      quitWithBrowser: $('quit-with-browser').checked,
      portMapping: $('port-mapping').checked,
      utp: $('utp').checked,
      downloadBytesPerSecond: kibPerSecondToBytes($('download-limit').value),
      uploadBytesPerSecond: kibPerSecondToBytes($('upload-limit').value),
      askPerGiBBtt: ask,
      seedRatioLimit: parseRatio($('seed-ratio').value) ?? 0,
      seedingTimeLimitMinutes: parseMinutes($('seed-minutes').value) ?? 0,
      chainEndpoint: $('chain-endpoint').value.trim(),
    } });
    const limit = (bytes) => (bytes > 0 ? formatRate(bytes) : 'none');
    $('settings-message').textContent = `Saved. Downloads go to ${saved.downloadDir}; limits: download ${limit(saved.downloadBytesPerSecond)}, `
      + `upload ${limit(saved.uploadBytesPerSecond)}; downloads without a goal of their own `
      + `${goalText({ ratioLimit: saved.seedRatioLimit, seedingTimeLimitMinutes: saved.seedingTimeLimitMinutes })}; network ${saved.network}`
      + `${saved.chainEndpoint ? ` through ${saved.chainEndpoint}` : ''}, `
      + `${saved.askPerGiBBtt === '0' ? 'selling nothing' : `selling at ${saved.askPerGiBBtt} BTT/GiB or more`} (from the helper's next start); `
      + `port mapping ${saved.portMapping ? 'on' : 'off'} (at once); uTP ${saved.utp ? 'on' : 'off'} (from the next start).`;
  } catch (e) {
    $('settings-message').textContent = `Not saved: ${e.message}`;
  }
});

ext.storage.local.get('autoOpenPopup').then(({ autoOpenPopup }) => { $('auto-open').checked = Boolean(autoOpenPopup); });
$('auto-open').addEventListener('change', () => ext.storage.local.set({ autoOpenPopup: $('auto-open').checked }));
ext.storage.local.get('askBeforeAdding').then(({ askBeforeAdding }) => { $('ask-before-adding').checked = Boolean(askBeforeAdding); });
$('ask-before-adding').addEventListener('change', () => ext.storage.local.set({ askBeforeAdding: $('ask-before-adding').checked }));
