/** Files only the server's own user may read: the database, its WAL, backups (docs/sync-server.md, "data at rest"). */
import { chmodSync, closeSync, fsyncSync, openSync, statSync } from 'node:fs';

export const PRIVATE = 0o600;

/** chmod 0600 unless it is already; a file that does not exist is left alone. */
export function makePrivate(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o777) !== PRIVATE) chmodSync(file, PRIVATE);
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates an empty file with mode 0600, failing if it exists (SQLite then writes into it and keeps the mode). */
export function createPrivate(file: string): void {
  closeSync(openSync(file, 'wx', PRIVATE));
}
