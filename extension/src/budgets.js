// The Budgets page: every budget the user was asked for, what it has spent and holds, and Revoke for the
// active ones. The rows come from lib/budgets.js; the helper enforces the revoke where payments are signed.
import { connectView, command, h } from './lib/view-port.js';
import { budgetRows } from './lib/budgets.js';

const $ = (id) => document.getElementById(id);

connectView('budgets', render);

function render(state) {
  const rows = budgetRows(state.approvals ?? []);
  $('budgets').hidden = rows.length === 0;
  $('status').textContent = rows.length > 0 ? ''
    : state.synced ? 'No budgets yet: boost a download from the popup to ask for one.' : 'Loading…';
  $('rows').replaceChildren(...rows.map((r) => h('tr', { 'data-id': r.id },
    h('td', { text: r.torrent, title: r.infoHash ?? '' }),
    h('td', { text: r.cap }), h('td', { text: r.spent }), h('td', { text: r.reserved }), h('td', { text: r.left }),
    h('td', { text: r.rate }), h('td', { text: new Date(r.expires).toLocaleString() }), h('td', { text: r.state }),
    h('td', { text: r.network }),
    h('td', {}, r.canRevoke
      ? h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke the budget for ${r.torrent}`, onclick: () => revoke(r.id), text: 'Revoke' })
      : null))));
}

async function revoke(id) {
  $('error').textContent = '';
  try {
    await command('revoke', { id });
  } catch (e) {
    $('error').textContent = `Not revoked: ${e.message}`;
  }
}
