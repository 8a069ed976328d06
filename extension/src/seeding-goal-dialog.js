// The dialog for one torrent's seeding goal (http-api.yaml /torrents/{infoHash}/seeding-goal): follow the
// options page's goal, or a ratio and/or a time of its own. Built here rather than in a page's HTML so
// that any view with a torrent (popup, detail) can open it.
import { command, h } from './lib/view-port.js';
import { formatBytes } from './lib/format.js';
import { parseRatio, parseMinutes, limitText, goalText } from './lib/seeding-goal.js';

let dialog = null;
let f = null;

function build() {
  f = {
    name: h('p', { class: 'name' }),
    progress: h('p', { class: 'muted' }),
    finished: h('p', { class: 'notice' }),
    useGlobal: h('input', { type: 'radio', name: 'goal-kind', id: 'goal-global', value: 'global' }),
    own: h('input', { type: 'radio', name: 'goal-kind', id: 'goal-own', value: 'own' }),
    globalText: h('span'),
    ratio: h('input', { id: 'goal-ratio', inputmode: 'decimal', size: '8', 'aria-describedby': 'goal-error' }),
    minutes: h('input', { id: 'goal-minutes', inputmode: 'numeric', size: '8', 'aria-describedby': 'goal-error' }),
    error: h('p', { id: 'goal-error', class: 'error-text', role: 'alert' }),
  };
  const form = h('form', { method: 'dialog' },
    h('h2', { id: 'goal-title', text: 'Seeding goal' }),
    f.name, f.progress, f.finished,
    h('label', { class: 'row' }, f.useGlobal, 'Follow the goal on the options page: ', f.globalText),
    h('label', { class: 'row' }, f.own, 'A goal of its own (empty fields: seed for ever):'),
    h('label', { for: 'goal-ratio', text: 'Stop at this ratio of uploaded to size, e.g. 2 or 1.5' }), f.ratio,
    h('label', { for: 'goal-minutes', text: 'Stop after this many minutes of seeding' }), f.minutes,
    f.error,
    h('div', { class: 'row' },
      h('button', { value: 'save', class: 'primary', text: 'Save goal' }),
      h('button', { value: 'cancel', formnovalidate: true, text: 'Cancel' })));
  dialog = h('dialog', { id: 'goal-dialog', 'aria-labelledby': 'goal-title' }, form);
  document.body.append(dialog);
  const chooseOwn = () => { f.own.checked = true; };
  f.ratio.addEventListener('input', chooseOwn);
  f.minutes.addEventListener('input', chooseOwn);
  return form;
}

/**
 * Opens the dialog for one torrent; `globalGoal` is the options page's ({ ratioLimit, seedingTimeLimitMinutes },
 * 0 for none). Resolves once it closes; errors reaching the helper before it opens are thrown.
 */
export async function askSeedingGoal(infoHash, name, globalGoal) {
  const form = dialog ? dialog.querySelector('form') : build();
  const seeding = await command('seedingGoal', { infoHash });
  f.name.textContent = name;
  f.progress.textContent = `Uploaded ${formatBytes(seeding.uploadedBytes)} in all; seeded ${Math.floor(seeding.seedingSeconds / 60)} min.`;
  f.finished.textContent = seeding.finishedReason ? `Stopped seeding: ${seeding.finishedReason}.` : '';
  f.finished.hidden = !seeding.finishedReason;
  f.globalText.textContent = goalText(globalGoal);
  f.useGlobal.checked = seeding.ownGoal === null;
  f.own.checked = seeding.ownGoal !== null;
  f.ratio.value = limitText(seeding.ownGoal?.ratioLimit);
  f.minutes.value = limitText(seeding.ownGoal?.seedingTimeLimitMinutes);
  f.error.textContent = '';
  return new Promise((resolve) => {
    form.onsubmit = async (event) => {
      if (event.submitter?.value !== 'save') return; // Cancel closes the dialog
      event.preventDefault();
      try {
        const goal = f.useGlobal.checked ? { useGlobal: true }
          : { ratioLimit: parseRatio(f.ratio.value), seedingTimeLimitMinutes: parseMinutes(f.minutes.value) };
        await command('setSeedingGoal', { infoHash, goal });
        dialog.close('save');
      } catch (e) {
        f.error.textContent = e.message;
      }
    };
    dialog.onclose = () => resolve(dialog.returnValue);
    dialog.showModal();
    (f.own.checked ? f.ratio : f.useGlobal).focus();
  });
}
