/**
 * Revocations kept outside the database: `<data>/revocations.jsonl`, one `{"jti":…,"revokedAt":…}` line per
 * `sync-admin token revoke`, appended (mode 0600, fsynced) before the database is updated. A database put back from
 * a backup taken before a revocation would otherwise let that token in again; `SqliteStorage` merges this file
 * whenever it opens a database for writing, so `sync-admin restore` and a backup copied in by hand both keep every
 * revocation. Where the file does not exist yet (an install older than it), that first open writes the revocations
 * the database holds into it. The file only grows (one short line per revoked token). A line that cannot be read is skipped with a
 * warning, never fatal.
 */
import { closeSync, fchmodSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const REVOCATIONS_FILE = 'revocations.jsonl';

export interface Revocation {
  readonly jti: string;
  /** Milliseconds since the epoch. */
  readonly revokedAt: number;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends one revocation to `<dataDir>/revocations.jsonl` and returns once it is on disk. */
export function appendRevocation(dataDir: string, revocation: Revocation): void {
  appendRevocations(dataDir, [revocation]);
}

/** Appends revocations to `<dataDir>/revocations.jsonl` (one write, one fsync) and returns once they are on disk. */
export function appendRevocations(dataDir: string, revocations: readonly Revocation[]): void {
  const file = join(dataDir, REVOCATIONS_FILE);
  const fd = openSync(file, 'a+', 0o600);
  try {
    const { size, mode } = fstatSync(fd);
    if ((mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
    // A previous write cut short (power cut) left a line without its newline: start on a fresh line so that only
    // the broken line is lost, not this one too.
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    const lines = revocations.map((r) => `${JSON.stringify({ jti: r.jti, revokedAt: r.revokedAt })}\n`).join('');
    writeSync(fd, prefix + lines);
    fsyncSync(fd);
    if (size === 0) fsyncDir(dirname(file));
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a revocations file; a missing file is an empty list. Lines that are not a JSON object with a non-empty
 * string `jti` and a finite number `revokedAt` are skipped, each with one warning naming the line.
 */
export function readRevocations(file: string, warn: (message: string) => void): Revocation[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const revocations: Revocation[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    const entry = parsed as { jti?: unknown; revokedAt?: unknown } | null | undefined;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.jti !== 'string' ||
      entry.jti === '' ||
      typeof entry.revokedAt !== 'number' ||
      !Number.isFinite(entry.revokedAt)
    ) {
      warn(`${file} line ${i + 1} is not a revocation ({"jti":…,"revokedAt":…}); skipped`);
      return;
    }
    revocations.push({ jti: entry.jti, revokedAt: entry.revokedAt });
  });
  return revocations;
}
