// The Play / Open in your player button of one media file, shared by the popup's cards, the detail page
// and the add dialog. Play opens the player page in a tab; a file the browser cannot decode goes to the
// desktop's default player instead, which the helper starts (POST …/files/{index}/open).
import { command, h } from './lib/view-port.js';
import { baseName } from './lib/media-files.js';

/**
 * file: { index, path, play: 'player'|'external' } (see playChoice). `before` runs first and may refuse by
 * throwing (the add dialog starts the download there); `onError` shows what went wrong.
 */
export function mediaButton(infoHash, file, { onError, before = async () => {}, after = () => {}, focusKey = null } = {}) {
  const name = baseName(file.path);
  const external = file.play === 'external';
  return h('button', {
    type: 'button',
    class: external ? 'media external' : 'media',
    'data-focus-key': focusKey,
    'data-file-index': String(file.index),
    'aria-label': external ? `Open ${name} in your player` : `Play ${name}`,
    title: external ? 'The browser cannot decode this format: the desktop’s default player opens it while it downloads' : 'Play while it downloads',
    text: external ? 'Open in your player' : 'Play',
    onclick: async () => {
      try {
        await before();
        await command(external ? 'openInPlayer' : 'openPlayer', { infoHash, fileIndex: file.index });
        after();
      } catch (e) {
        onError(e);
      }
    },
  });
}
