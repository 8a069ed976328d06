import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupHint, magnetarCommand, INSTALL_COMMANDS } from '../../src/lib/setup-hint.js';

test('not installed: the two install commands from installer/README.md', () => {
  const hint = setupHint({ status: 'not_installed', detail: '' });
  assert.match(hint.title, /not installed/);
  assert.ok(hint.paragraphs.some((p) => p.code === INSTALL_COMMANDS));
  assert.match(INSTALL_COMMANDS, /^mvn -B -q -DskipTests package\njava -jar helper\/target\/magnetar\.jar install$/);
});

test('not running keeps the helper\'s own reason; connected needs no hint', () => {
  const hint = setupHint({ status: 'not_running', detail: 'could not start the daemon: see /x/logs/daemon.log' });
  assert.ok(hint.paragraphs.includes('could not start the daemon: see /x/logs/daemon.log'));
  assert.equal(setupHint({ status: 'connected', detail: '' }), null);
  assert.equal(setupHint({ status: 'connecting', detail: '' }), null);
});

test('commands are printed the way the helper says it is run here: by name on PATH, else by full path', () => {
  assert.equal(magnetarCommand('magnetar', 'wallet create'), 'magnetar wallet create');
  assert.equal(magnetarCommand('/home/ada/.local/bin/magnetar', 'wallet create'), '/home/ada/.local/bin/magnetar wallet create');
  assert.equal(magnetarCommand("/home/Ada's Mac/bin/magnetar", 'daemon'), "'/home/Ada'\\''s Mac/bin/magnetar' daemon");
  assert.equal(magnetarCommand('java -jar /src/helper/target/magnetar.jar', 'daemon'), 'java -jar /src/helper/target/magnetar.jar daemon');
  assert.equal(magnetarCommand(null, 'daemon'), 'magnetar daemon', 'no hello yet');
  const hint = setupHint({ status: 'not_running', detail: 'x' }, '/home/ada/.local/bin/magnetar');
  assert.ok(hint.paragraphs.some((p) => typeof p === 'string' && p.includes('run “/home/ada/.local/bin/magnetar daemon”')));
});
