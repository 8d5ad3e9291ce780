import { createHmac } from 'node:crypto';
import { derivedSecret } from '../auth/tokens.service';
import { normaliseName } from '../registration/application';

/** The status check's lookup key of a name: never the name itself. */
export type NameKey = (name: string) => string;

/**
 * A keyed hash (HMAC-SHA256) of the normalised name, with a key derived from the key-encryption
 * key, which lives outside the database: the `status_check` table holds no names in plain text,
 * and a database dump alone cannot test guessed names against it. Same spelling, same key, so the
 * check still finds a person by village and name in one indexed lookup.
 */
export function nameKeyFor(keyEncryptionKey: Buffer): NameKey {
  const secret = derivedSecret(keyEncryptionKey, 'status-check-name');
  return (name) => createHmac('sha256', secret).update(normaliseName(name)).digest('base64url');
}
