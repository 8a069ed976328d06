// The wallet page: create (a new recovery phrase shown once, then confirmed), import, unlock, lock, the
// address and live balances, and on the devnet only a faucet button. The phrase lives in this page's
// memory only — never in extension storage, logs or messages other than the one that imports it — and
// is dropped as soon as the wallet is made or the page goes.
import { connectView, command, h } from './lib/view-port.js';
import { pickPositions, wrongWords, passwordProblem, normalisePhrase } from './lib/phrase-check.js';
import { formatBaseUnits, groupThousands, networkLabel } from './lib/format.js';

const $ = (id) => document.getElementById(id);
const STEPS = ['choose', 'create-password', 'create-phrase', 'create-confirm', 'import-form'];
let step = 'choose'; // which of STEPS shows while there is no wallet
let phrase = null;
let positions = [];
let password = null;
let current = null;

connectView('wallet', (state) => { current = state; render(state); });
// Live balances: payments made and received move them without a wallet event, so read them while the page is open.
const BALANCE_REFRESH_MS = 15_000;
setInterval(() => { if (current?.wallet?.exists) command('refreshBalance').catch(() => {}); }, BALANCE_REFRESH_MS);
window.addEventListener('pagehide', forget);

function render({ connection, wallet, balance, balanceError }) {
  const connected = connection.status === 'connected' && wallet;
  $('status').textContent = connected ? '' : connection.status === 'connecting' ? 'Connecting to the Magnetar helper…'
    : `Not connected to the Magnetar helper. ${connection.detail ?? ''}`.trim();
  $('network').hidden = !connected;
  for (const id of STEPS) $(id).hidden = !connected || wallet.exists || id !== step;
  $('wallet').hidden = !connected || !wallet.exists;
  if (!connected) return;
  $('network').textContent = wallet.network === 'mainnet' ? 'Mainnet — real BTT' : networkLabel(wallet.network);
  $('network').className = `network ${wallet.network}`;
  if (!wallet.exists) return;
  forget(); // made (here or elsewhere): nothing of the phrase is kept
  $('wallet-state').textContent = wallet.unlocked ? 'Unlocked' : 'Locked';
  $('address').textContent = wallet.address ?? '';
  $('unlock-form').hidden = wallet.unlocked;
  $('lock').hidden = !wallet.unlocked;
  $('faucet').hidden = wallet.network !== 'devnet';
  $('balance').textContent = balance
    ? `${groupThousands(formatBaseUnits(balance.bttBaseUnits))} BTT · ${groupThousands(formatBaseUnits(balance.trxSun, 6))} TRX`
    : balanceError ? `unavailable: ${balanceError}` : '…';
}

function show(next) {
  step = next;
  $('error').textContent = '';
  if (current) render(current);
  const first = $(next).querySelector('input, textarea, button');
  first?.focus();
}

function forget() {
  phrase = null;
  positions = [];
  password = null;
  $('phrase-words').replaceChildren();
  $('confirm-fields').replaceChildren();
  for (const id of ['new-password', 'new-password-again', 'import-secret', 'import-password', 'import-password-again']) $(id).value = '';
}

function fail(e) {
  $('error').textContent = e.message;
}

document.querySelectorAll('button.cancel').forEach((b) => b.addEventListener('click', () => { forget(); show('choose'); }));
$('start-create').addEventListener('click', () => show('create-password'));
$('start-import').addEventListener('click', () => show('import-form'));

$('create-password').addEventListener('submit', async (event) => {
  event.preventDefault();
  const problem = passwordProblem($('new-password').value, $('new-password-again').value);
  if (problem) { $('error').textContent = problem; return; }
  try {
    password = $('new-password').value;
    phrase = (await command('newRecoveryPhrase')).recoveryPhrase;
  } catch (e) { fail(e); return; }
  $('phrase-words').replaceChildren(...phrase.split(' ').map((w) => h('li', { class: 'mono', text: w })));
  $('phrase-written').checked = false;
  $('phrase-next').disabled = true;
  show('create-phrase');
});

$('phrase-written').addEventListener('change', () => { $('phrase-next').disabled = !$('phrase-written').checked; });

$('phrase-next').addEventListener('click', () => {
  positions = pickPositions(phrase.split(' ').length, () => crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32);
  $('phrase-words').replaceChildren(); // off the screen while the user types them back
  $('confirm-fields').replaceChildren(...positions.map((p, i) => h('div', {},
    h('label', { for: `confirm-${i}`, text: `Word #${p + 1}` }),
    h('input', { id: `confirm-${i}`, autocomplete: 'off', spellcheck: 'false', required: true }))));
  show('create-confirm');
});

$('confirm-back').addEventListener('click', () => {
  $('phrase-words').replaceChildren(...phrase.split(' ').map((w) => h('li', { class: 'mono', text: w })));
  show('create-phrase');
});

$('create-confirm').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answers = positions.map((_, i) => $(`confirm-${i}`).value);
  const wrong = wrongWords(phrase, positions, answers);
  if (wrong.length > 0) {
    $('error').textContent = `Word${wrong.length > 1 ? 's' : ''} #${wrong.join(', #')} ${wrong.length > 1 ? 'do' : 'does'} not match. `
      + 'Check what you wrote down, or show the words again.';
    return;
  }
  try {
    await command('importWallet', { recoveryPhrase: phrase, password });
    forget();
    $('wallet-message').textContent = 'Wallet created and unlocked.';
  } catch (e) { fail(e); }
});

document.querySelectorAll('input[name=import-kind]').forEach((r) => r.addEventListener('change', () => {
  $('import-secret-label').textContent = r.value === 'key' && r.checked ? 'Private key' : 'Recovery phrase';
}));

$('import-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const problem = passwordProblem($('import-password').value, $('import-password-again').value);
  if (problem) { $('error').textContent = problem; return; }
  const kind = document.querySelector('input[name=import-kind]:checked').value;
  const secret = $('import-secret').value;
  const fields = kind === 'key' ? { privateKeyHex: secret.trim() } : { recoveryPhrase: normalisePhrase(secret) };
  try {
    await command('importWallet', { ...fields, password: $('import-password').value });
    forget();
    $('wallet-message').textContent = 'Wallet imported and unlocked.';
  } catch (e) { fail(e); }
});

$('unlock-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('error').textContent = '';
  try {
    await command('unlockWallet', { password: $('unlock-password').value });
    $('unlock-password').value = '';
  } catch (e) { fail(e); }
});

$('lock').addEventListener('click', () => command('lockWallet').catch(fail));

$('copy-address').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('address').textContent);
    $('wallet-message').textContent = 'Address copied.';
  } catch (e) { fail(e); }
});

$('faucet').addEventListener('click', async () => {
  $('error').textContent = '';
  $('faucet').disabled = true;
  try {
    await command('faucet');
    $('wallet-message').textContent = 'Credited 1,000 test BTT and 1,000 test TRX on the devnet.';
  } catch (e) {
    fail(e);
  } finally {
    $('faucet').disabled = false;
  }
});
