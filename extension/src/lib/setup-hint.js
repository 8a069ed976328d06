// What the user reads when the extension cannot use the helper, with the fix (installer/README.md).
export const INSTALL_COMMANDS = 'mvn -B -q -DskipTests package\njava -jar helper/target/magnetar.jar install';

/**
 * A magnetar command line as the user can type it here. `command` is what the helper's native host said
 * in its hello (native-messaging.md: "magnetar" when it is on PATH, else the installed launcher's full
 * path); before any hello, the bare name.
 */
export function magnetarCommand(command, args) {
  const program = command || 'magnetar';
  // A launcher path with a space would split in a shell: quote it (a "java -jar …" line is already words).
  const shown = /\s/.test(program) && program.startsWith('/') ? `'${program.replaceAll("'", "'\\''")}'` : program;
  return `${shown} ${args}`;
}

export function setupHint(connection, command = null) {
  switch (connection.status) {
    case 'not_installed':
      return {
        title: 'The Magnetar helper is not installed',
        paragraphs: [
          'This extension needs the Magnetar helper app on this computer (it downloads and seeds). Install it for your user from a Magnetar clone — two commands:',
          { code: INSTALL_COMMANDS },
          'or run installer/install.sh, which does both. Then restart the browser.',
        ],
      };
    case 'forbidden':
      return {
        title: 'The helper does not accept this extension',
        paragraphs: ['Its browser registration names another extension. Reinstall the helper:', { code: INSTALL_COMMANDS }],
      };
    case 'incompatible':
      return { title: 'The helper and the extension do not match', paragraphs: [connection.detail] };
    case 'not_running':
      return {
        title: 'The Magnetar helper is not running',
        paragraphs: [
          connection.detail,
          `The extension starts it when it connects and keeps retrying. If it keeps failing, run “${magnetarCommand(command, 'daemon')}” in a terminal to see why, or read logs/daemon.log in the helper’s data folder.`,
        ],
      };
    default:
      return null;
  }
}
