import { LogLevel } from '@nestjs/common';
import { ConfigError } from './config/config';
import { EmbeddedPostgresError } from './database/embedded-postgres';
import { IntegrityKeyMismatchError } from './event-store/errors';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The Nest log levels at and above `level`. */
export function logLevels(level: string): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level as LogLevel) + 1);
}

/** Prints a start-up failure plainly (no stack trace for what the user can fix) and exits. */
export function exitOnStartupError(err: unknown): never {
  if (err instanceof ConfigError || err instanceof EmbeddedPostgresError || err instanceof IntegrityKeyMismatchError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`Port sudah dipakai / port already in use: ${(err as Error).message}. Set PORT to a free port.\n`);
    process.exit(78);
  }
  process.stderr.write(`Start-up failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
