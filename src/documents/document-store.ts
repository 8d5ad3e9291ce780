import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import { Settings, SETTINGS } from '../config/settings.module';
import { KeyStore, requireLiveKey } from '../event-store/crypto-shredding';
import { KEY_STORE } from '../event-store/event-store.module';
import { SubjectErasedError } from '../event-store/errors';
import { ApiError } from '../shared/http/api-error';

/** Accepted media types and the first bytes their files must start with. */
const SIGNATURES: Record<string, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
};
export const ACCEPTED_MEDIA_TYPES = Object.keys(SIGNATURES);

export interface StoredDocument {
  readonly sha256: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
}

/** The first bytes of an encrypted document file (files stored before encryption lack them). */
const ENCRYPTED_MAGIC = Buffer.from('BVDOC1\n');

/** The key-store subject of one document: its own data key, destroyed when the document is erased. */
export const documentSubject = (sha256: string): string => `document-${sha256}`;

/** A document whose key was destroyed by an erasure: its file can no longer be read. */
export class DocumentErasedError extends Error {
  constructor(readonly sha256: string) {
    super(`document ${sha256} was erased`);
  }
}

/**
 * Files addressed by the SHA-256 of their content: storing the same file twice keeps one copy,
 * and the hash recorded in an event's evidence proves which file a decision rested on.
 *
 * Each file is encrypted on disk (AES-256-GCM) with a data key of its own, held in the key store
 * like a subject's key: an upload does not yet know whose case it will serve, and one file may be
 * evidence for several cases. Erasing a household destroys the keys of the documents that only its
 * cases refer to and deletes their files, so a copy of the folder (a backup) cannot be read either.
 */
@Injectable()
export class DocumentStore {
  private readonly dir: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) settings: Settings,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
  ) {
    this.dir = settings.config.documents.dir;
  }

  /** Whether the body really is of the declared type (checked by its first bytes). */
  static matchesType(body: Buffer, mediaType: string): boolean {
    const signature = SIGNATURES[mediaType];
    return signature !== undefined && body.length >= signature.length && signature.every((b, i) => body[i] === b);
  }

  /** Stores a request's raw body (parsed by express.raw for the accepted types). */
  async storeUpload(req: Request): Promise<StoredDocument> {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ACCEPTED_MEDIA_TYPES.includes(mediaType) || !Buffer.isBuffer(req.body)) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', {
        id: `Jenis berkas harus salah satu dari: ${ACCEPTED_MEDIA_TYPES.join(', ')}`,
        en: `The file must be one of: ${ACCEPTED_MEDIA_TYPES.join(', ')}`,
      });
    }
    if (req.body.length === 0) throw ApiError.badRequest('EMPTY_FILE', { id: 'Berkas kosong', en: 'The file is empty' });
    if (!DocumentStore.matchesType(req.body, mediaType)) {
      throw new ApiError(415, 'CONTENT_MISMATCH', {
        id: 'Isi berkas tidak sesuai jenisnya',
        en: 'The file content does not match its type',
      });
    }
    return this.store(req.body, mediaType);
  }

  async store(body: Buffer, mediaType: string): Promise<StoredDocument> {
    const sha256 = createHash('sha256').update(body).digest('hex');
    const file = this.pathOf(sha256);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const keys = await this.keys.keysFor([documentSubject(sha256)], true);
    let key: Buffer;
    try {
      key = requireLiveKey(keys, documentSubject(sha256));
    } catch (err) {
      if (!(err instanceof SubjectErasedError)) throw err;
      throw new ApiError(409, 'DOCUMENT_ERASED', {
        id: 'Berkas ini telah dihapus atas permintaan penghapusan data dan tidak dapat diunggah lagi',
        en: 'This file was erased on an erasure request and cannot be uploaded again',
      });
    }
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, encrypt(key, body), { mode: 0o600 });
    await fs.rename(tmp, file); // atomic: readers see the whole file or none
    await this.dataSource.query(
      'insert into stored_documents (sha256, media_type, size_bytes) values ($1, $2, $3) on conflict (sha256) do nothing',
      [sha256, mediaType, body.length],
    );
    return { sha256, mediaType, sizeBytes: body.length };
  }

  async find(sha256: string): Promise<StoredDocument | undefined> {
    const [row] = await this.dataSource.query('select sha256, media_type, size_bytes from stored_documents where sha256 = $1', [
      sha256,
    ]);
    return row ? { sha256: row.sha256, mediaType: row.media_type, sizeBytes: row.size_bytes } : undefined;
  }

  /** Evidence must point at stored documents: a hash nobody can produce proves nothing. */
  async assertStored(evidence: readonly { sha256?: string }[]): Promise<void> {
    for (const e of evidence) {
      if (e.sha256 && !(await this.find(e.sha256))) {
        throw new ApiError(
          422,
          'EVIDENCE_NOT_FOUND',
          { id: 'Dokumen bukti belum diunggah', en: 'The evidence document has not been uploaded' },
          [{ sha256: e.sha256 }],
        );
      }
    }
  }

  /** The file's content, decrypted and checked against its address. */
  async read(sha256: string): Promise<Buffer> {
    const stored = await fs.readFile(this.pathOf(sha256)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new DocumentErasedError(sha256);
      throw err;
    });
    let body: Buffer = stored;
    if (stored.subarray(0, ENCRYPTED_MAGIC.length).equals(ENCRYPTED_MAGIC)) {
      const key = (await this.keys.keysFor([documentSubject(sha256)], false)).get(documentSubject(sha256));
      if (!(key instanceof Buffer)) throw new DocumentErasedError(sha256);
      body = decrypt(key, stored);
    }
    if (createHash('sha256').update(body).digest('hex') !== sha256) throw new Error(`document ${sha256} does not match its hash`);
    return body;
  }

  /**
   * Erases documents: their keys are destroyed (so any copy of an encrypted file is unreadable)
   * and their files deleted (files stored before encryption are plain text: deleting is all there is).
   */
  async erase(sha256s: readonly string[]): Promise<void> {
    for (const sha256 of sha256s) {
      await this.keys.destroy(documentSubject(sha256));
      await fs.rm(this.pathOf(sha256), { force: true });
    }
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }
}

function encrypt(key: Buffer, body: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(body), cipher.final()]);
  return Buffer.concat([ENCRYPTED_MAGIC, iv, cipher.getAuthTag(), sealed]);
}

function decrypt(key: Buffer, stored: Buffer): Buffer {
  const raw = stored.subarray(ENCRYPTED_MAGIC.length);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}
