// The add dialog's arithmetic: which files the user left out, and how much the choice downloads.

/** Indexes of the files not ticked (what POST /torrents/{infoHash}/start calls skipFiles). */
export function skippedFiles(files, chosen) {
  return files.filter((f) => !chosen.has(f.index)).map((f) => f.index);
}

/** Bytes of the ticked files. */
export function chosenBytes(files, chosen) {
  return files.filter((f) => chosen.has(f.index)).reduce((sum, f) => sum + f.length, 0);
}

/** Why the choice cannot be sent, or null: a folder must be absolute, and at least one file ticked. */
export function choiceProblem(folder, files, chosen) {
  const dir = String(folder ?? '').trim();
  if (!dir.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(dir)) return 'Type the folder as a full path (e.g. /home/you/Downloads).';
  if (files.length > 0 && !files.some((f) => chosen.has(f.index))) {
    return 'Tick at least one file, or Cancel.';
  }
  return null;
}
