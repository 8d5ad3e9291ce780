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

/** Why `link` does not follow a stream's link `previousHash` at `previousVersion`, if it does not. */
export function linkProblem(previousHash: string, previousVersion: number, link: StoredLink): string | undefined {
  if (link.streamVersion !== previousVersion + 1) return `version ${previousVersion + 1} missing or out of order`;
  if (linkHash(previousHash, link) !== link.hash) return 'content does not match its hash';
  return undefined;
}

/** Checks one stream's links in order; returns the first broken one. */
export function findBrokenLink(links: Iterable<StoredLink>): { streamVersion: number; reason: string } | undefined {
  let previous = { hash: GENESIS_HASH, version: 0 };
  for (const link of links) {
    const reason = linkProblem(previous.hash, previous.version, link);
    if (reason) return { streamVersion: link.streamVersion, reason };
    previous = { hash: link.hash, version: link.streamVersion };
  }
  return undefined;
}
