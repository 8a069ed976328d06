// The window that asks before adding links from a page that sent more than Magnetar adds on its own
// (lib/add-guard.js). It is an extension window: the page that sent the links cannot script it.
import { connectView, command, h } from './lib/view-port.js';
import { pageSuppliedText } from './lib/page-text.js';
import { ADDS_PER_MINUTE_PER_ORIGIN, ADDS_PER_MINUTE_ALL_PAGES } from './lib/add-guard.js';

const $ = (id) => document.getElementById(id);

$('why').textContent = `A page sent more links (magnet or .torrent) than Magnetar adds without asking (${ADDS_PER_MINUTE_PER_ORIGIN} a minute from one site, `
  + `${ADDS_PER_MINUTE_ALL_PAGES} from all sites). A page can do that by putting links where you click. Add only what you meant to download.`;

connectView('confirm', ({ addQuestions }) => render(addQuestions));

function render(questions) {
  $('empty').hidden = questions.length > 0;
  const byOrigin = Map.groupBy(questions, (q) => q.origin);
  const sections = [];
  for (const [origin, list] of byOrigin) {
    sections.push(h('li', { class: 'card' },
      h('h2', {}, 'From ', h('span', { class: 'mono', text: origin })),
      h('ul', { class: 'questions' }, ...list.map(questionItem)),
      list.length > 1 ? h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => run('dismissAdds', { origin }), text: `Add none of these ${list.length}` })) : null));
  }
  $('questions').replaceChildren(...sections);
}

function questionItem(q) {
  const name = pageSuppliedText(q.name);
  return h('li', { class: 'question', 'data-question': q.id },
    h('dl', { class: 'facts' },
      h('dt', { text: 'Name given by the link' }), h('dd', { class: 'name', text: name ?? '(none)' }),
      ...(q.infoHash
        ? [h('dt', { text: 'Info-hash' }), h('dd', { class: 'mono', text: q.infoHash })]
        : [h('dt', { text: '.torrent file' }), h('dd', { class: 'mono', text: q.uri })]),
      h('dt', { text: 'Page' }), h('dd', { class: 'mono', text: q.originPage ?? 'not known' })),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'primary', onclick: () => run('answerAdd', { id: q.id, add: true }), text: 'Add', 'aria-label': `Add ${name ?? q.infoHash}` }),
      h('button', { type: 'button', onclick: () => run('answerAdd', { id: q.id, add: false }), text: 'Don’t add', 'aria-label': `Don’t add ${name ?? q.infoHash}` })));
}

async function run(action, fields) {
  $('error').textContent = '';
  try {
    const result = await command(action, fields);
    if (result && result.ok === false) $('error').textContent = `Not added: ${result.message}`;
  } catch (e) {
    $('error').textContent = e.message;
  }
}
