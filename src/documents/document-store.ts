import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import { Settings, SETTINGS } from '../config/settings.module';
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

/**
 * Files addressed by the SHA-256 of their content: storing the same file twice keeps one copy,
 * and the hash recorded in an event's evidence proves which file a decision rested on.
 */
@Injectable()
export class DocumentStore {
  private readonly dir: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) settings: Settings,
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
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, body, { mode: 0o600 });
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

  /** The file's content, checked against its address. */
  async read(sha256: string): Promise<Buffer> {
    const body = await fs.readFile(this.pathOf(sha256));
    if (createHash('sha256').update(body).digest('hex') !== sha256) throw new Error(`document ${sha256} does not match its hash`);
    return body;
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }
}
