import { createHmac, createPrivateKey, createPublicKey, hkdfSync, KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * The keys of the tamper evidence, all derived (HKDF-SHA256) from one 32-byte seed held outside
 * PostgreSQL (INTEGRITY_KEY): an HMAC key for the per-event MACs and an Ed25519 key pair for the
 * signed checkpoints. The public key alone lets an external auditor check the checkpoints.
 */
export interface IntegrityKeys {
  readonly macKey: Buffer;
  readonly signingKey: KeyObject;
  readonly publicKey: KeyObject;
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), so node:crypto can import it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function deriveIntegrityKeys(seed: Buffer): IntegrityKeys {
  if (seed.length !== 32) throw new RangeError('the integrity key seed must be 32 bytes');
  const derive = (purpose: string): Buffer =>
    Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), `bansos-verval:integrity:${purpose}`, 32));
  const signingKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, derive('checkpoint-signing')]),
    format: 'der',
    type: 'pkcs8',
  });
  return { macKey: derive('event-mac'), signingKey, publicKey: createPublicKey(signingKey) };
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

/** An auditor's copy of the public key (PEM, as `events:checkpoints:export` writes it). */
export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new RangeError('the checkpoint public key must be Ed25519');
  return key;
}

/** The stored fields of one event that its MAC covers (not its version: the SQL assigns that). */
export interface MacContent {
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
}

/**
 * HMAC-SHA256 (hex) over the event's identity and stored content, each field length-prefixed so
 * no two different events share an input. The order is not covered: the hash chain and the
 * checkpoints carry it.
 */
export function eventMac(macKey: Buffer, c: MacContent): string {
  // One string, one native call: each field prefixed with its UTF-8 byte length.
  const fields = [c.streamId, c.eventId, c.type, String(c.schemaVersion), c.dataJson, c.metadataJson];
  const text = fields.map((f) => `${Buffer.byteLength(f, 'utf8')}:${f}`).join('');
  return createHmac('sha256', macKey).update(text, 'utf8').digest('hex');
}

export function macMatches(macKey: Buffer, c: MacContent, mac: string): boolean {
  const expected = Buffer.from(eventMac(macKey, c), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
