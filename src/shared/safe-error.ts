import { DatabaseError } from 'pg';

/**
 * An error described for a log line without personal data: PostgreSQL messages can quote the
 * values of a row (`invalid input syntax for type integer: "…"`), so for those only the SQLSTATE
 * code and the constraint or table are kept.
 */
export function describeError(err: unknown): string {
  if (err instanceof DatabaseError) {
    const where = err.constraint ?? err.table ?? err.routine ?? '';
    return `database error ${err.code ?? ''}${where ? ` (${where})` : ''}`;
  }
  return err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
}
