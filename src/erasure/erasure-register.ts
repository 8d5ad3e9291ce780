import { Role } from '../auth/roles';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** One approved erasure as the register keeps it: ids only. */
export interface RegisterEntry {
  readonly requestId: string;
  readonly householdId: string;
  readonly subjects: readonly string[];
  /** Who approved: lets a start finish an approval whose event a crash kept from being written. */
  readonly decidedBy: string;
  readonly actor: { readonly userId: string; readonly role: Role; readonly region: string };
  /**
   * Keyed hashes (see `identifierKey`) of the household's NIKs and KK number, never the numbers:
   * lets a start remove the Dukcapil-extract rows a restored backup brought back.
   */
  readonly identifierKeys?: readonly string[];
}

/**
 * The erasure register: every approved erasure's subject ids, one JSON line each, in a file kept
 * OUTSIDE the database (ERASURE_REGISTER_FILE). A database backup taken before an erasure still
 * holds the destroyed keys (subject_keys) and not the approval event; restoring it would bring the
 * erased data back. The app re-applies this register at every start, so a restore followed by a
 * start destroys those keys again. The file must be kept with the key-encryption key, not with the
 * database backups (docs/operations.md, docs/adr/0003-erasure.md).
 */
export class ErasureRegister {
  constructor(private readonly file: string) {}

  async entries(): Promise<RegisterEntry[]> {
    const text = await fs.readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    // A torn last line (a crash mid-write) is skipped; the approval event re-adds it at start.
    return text
      .split('\n')
      .filter((line) => line.trim())
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as RegisterEntry];
        } catch {
          return [];
        }
      });
  }

  /** Appends an entry and forces it to disk before the caller destroys anything. */
  async add(entry: RegisterEntry): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fs.open(this.file, 'a', 0o600);
    try {
      await handle.appendFile(`${JSON.stringify(entry)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * The register's key for an identifier (NIK or KK number): SHA-256 of a secret (derived from the
 * key-encryption key, outside the database) followed by the 16 digits. The same expression runs in
 * SQL (`sha256(secret || nik)`) so a start can match the extract's rows without reading them out.
 */
export function identifierKey(secret: Buffer, identifier: string): string {
  return createHash('sha256')
    .update(Buffer.concat([secret, Buffer.from(identifier, 'utf8')]))
    .digest('hex');
}
