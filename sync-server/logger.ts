/** One JSON line per event on stdout (pino). Tokens and the signing key are never passed to the logger. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, name: string): Logger {
  return pino({ level, name, base: { pid: process.pid } });
}
