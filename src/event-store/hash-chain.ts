import { createHash } from 'node:crypto';

/** The stored content of one event that its hash-chain link covers. */
export interface ChainedContent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** Stored payload text: canonical JSON with personal fields as ciphertext. */
  readonly dataJson: string;
  readonly metadataJson: string;
}

/** The hash before a stream's first event. */
export const GENESIS_HASH = '';

/**
 * sha256 (hex) over the previous link and this event's stored content, fields joined by '\n'.
 * The PostgreSQL adapter computes the same expression in SQL (`es_link_hash`); the integrity
 * check recomputes it here, so the two must agree, and the contract tests prove they do.
 * Unkeyed, it proves nothing against whoever can write the database: see integrity/ for the MACs
 * and signed checkpoints that do (docs/adr/0002-tamper-evidence.md).
 */
export function linkHash(previousHash: string, c: ChainedContent): string {
  return createHash('sha256')
    .update(
      [
        previousHash,
        c.streamId,
        String(c.streamVersion),
        c.eventId,
        c.type,
        String(c.schemaVersion),
        c.dataJson,
        c.metadataJson,
      ].join('\n'),
      'utf8',
    )
    .digest('hex');
}

export interface StoredLink extends ChainedContent {
  readonly hash: string;
}
