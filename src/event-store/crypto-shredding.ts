import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { SubjectErasedError } from './errors';

/** What a personal field reads as after its subject's key was destroyed ("erased", in the users' language). */
export const ERASED = '[dihapus]';

/** How an encrypted personal field is stored in an event's data. */
export interface EncryptedField {
  /**
   * `s` subject, `c` ciphertext, `k` the JSON kind of a structured value ('a' array, 'o' object):
   * kept in clear so an erased field still decodes to a value of its shape (never a string where
   * code expects a list), and nothing else about the value is revealed.
   */
  readonly $pii: { readonly s: string; readonly c: string; readonly k?: 'a' | 'o' };
}

/** The safe stand-in for an erased field: declared by its event type, else by its recorded kind. */
export function erasedValue(field: EncryptedField, declared: unknown): unknown {
  if (declared !== undefined) return structuredClone(declared);
  if (field.$pii.k === 'a') return [];
  if (field.$pii.k === 'o') return {};
  return ERASED;
}

export function isEncryptedField(value: unknown): value is EncryptedField {
  return typeof value === 'object' && value !== null && '$pii' in value;
}

export type SubjectKey = Buffer | 'destroyed';

/** Per-subject data keys. Destroying a key makes that subject's personal fields unreadable. */
export interface KeyStore {
  /** Keys of the given subjects; with `create`, missing ones are made. */
  keysFor(subjectIds: readonly string[], create: boolean): Promise<Map<string, SubjectKey>>;
  destroy(subjectId: string): Promise<void>;
}

const ALGORITHM = 'aes-256-gcm';

export function encryptValue(key: Buffer, subjectId: string, value: unknown): EncryptedField {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const c = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  const k = Array.isArray(value) ? 'a' : typeof value === 'object' && value !== null ? 'o' : undefined;
  return { $pii: k ? { s: subjectId, c, k } : { s: subjectId, c } };
}

export function decryptValue(key: Buffer, field: EncryptedField): unknown {
  const raw = Buffer.from(field.$pii.c, 'base64');
  const decipher = createDecipheriv(ALGORITHM, key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
}

/**
 * Data keys in the `subject_keys` table, wrapped (encrypted) with the key-encryption key from the
 * environment, so a database dump alone does not reveal personal data. Keys are cached briefly;
 * a destroy takes effect in this process at once and in other instances within the TTL (5 s).
 */
export class PostgresKeyStore implements KeyStore {
  private readonly cache = new Map<string, { key: SubjectKey; at: number }>();
  private sweptAt = 0;

  constructor(
    private readonly pool: Pool,
    private readonly keyEncryptionKey: Buffer,
    private readonly ttlMs = 5_000,
  ) {}

  async keysFor(subjectIds: readonly string[], create: boolean): Promise<Map<string, SubjectKey>> {
    const result = new Map<string, SubjectKey>();
    const now = Date.now();
    this.forgetExpired(now);
    const missing = [...new Set(subjectIds)].filter((id) => {
      const hit = this.cache.get(id);
      if (hit && now - hit.at < this.ttlMs) result.set(id, hit.key);
      return !result.has(id);
    });
    if (!missing.length) return result;
    if (create) {
      const fresh = missing.map(() => this.wrap(randomBytes(32)));
      await this.pool.query(
        `insert into subject_keys (subject_id, wrapped_key) select * from unnest($1::text[], $2::bytea[])
         on conflict (subject_id) do nothing`,
        [missing, fresh],
      );
    }
    const { rows } = await this.pool.query<{ subject_id: string; wrapped_key: Buffer | null }>(
      'select subject_id, wrapped_key from subject_keys where subject_id = any($1)',
      [missing],
    );
    for (const row of rows) {
      const key: SubjectKey = row.wrapped_key ? this.unwrap(row.wrapped_key) : 'destroyed';
      this.cache.set(row.subject_id, { key, at: now });
      result.set(row.subject_id, key);
    }
    return result;
  }

  /** Drops expired keys once per TTL, so the cache holds only recently used subjects (bounded memory). */
  private forgetExpired(now: number): void {
    if (now - this.sweptAt < this.ttlMs) return;
    this.sweptAt = now;
    for (const [id, hit] of this.cache) if (now - hit.at >= this.ttlMs) this.cache.delete(id);
  }

  async destroy(subjectId: string): Promise<void> {
    await this.pool.query(
      `insert into subject_keys (subject_id, wrapped_key, destroyed_at) values ($1, null, now())
       on conflict (subject_id) do update set wrapped_key = null, destroyed_at = coalesce(subject_keys.destroyed_at, now())`,
      [subjectId],
    );
    this.cache.set(subjectId, { key: 'destroyed', at: Date.now() });
  }

  private wrap(key: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.keyEncryptionKey, iv);
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  private unwrap(wrapped: Buffer): Buffer {
    const decipher = createDecipheriv(ALGORITHM, this.keyEncryptionKey, wrapped.subarray(0, 12));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}

/** Keys needed to write: a destroyed subject's personal data is never written again. */
export function requireLiveKey(keys: Map<string, SubjectKey>, subjectId: string): Buffer {
  const key = keys.get(subjectId);
  if (key === 'destroyed') throw new SubjectErasedError(subjectId);
  if (!key) throw new Error(`no data key for subject ${subjectId}`);
  return key;
}
