import { ApiError } from './api-error';

/** Seconds a client is asked to wait before trying again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);
// SQLSTATE class 08 (connection exception) and the server shutting down or starting up.
const SERVER_GONE = /^(08|57P0[1-3])/;
const CONNECTION_MESSAGES =
  /Connection terminated|not queryable|Query runner already released|Connection lost|timeout exceeded when trying to connect/i;

/**
 * Is this error the database (or its network) being away — a restart, a failover — rather than a
 * fault of the request or of the code? Such errors answer 503 with Retry-After, never 500.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; name?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SERVER_GONE.test(e.code))) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  if (e.name === 'AggregateError' && Array.isArray((error as AggregateError).errors))
    return (error as AggregateError).errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}

/** The error a client sees for it: 503 in both languages. */
export function databaseUnavailable(): ApiError {
  return new ApiError(503, 'DATABASE_UNAVAILABLE', {
    id: 'Layanan sedang tidak tersedia sebentar; coba lagi dalam beberapa detik',
    en: 'The service is briefly unavailable; try again in a few seconds',
  });
}
