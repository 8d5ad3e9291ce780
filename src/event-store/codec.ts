import { randomUUID } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import {
  decryptValue,
  encryptValue,
  erasedValue,
  isEncryptedField,
  KeyStore,
  requireLiveKey,
  SubjectKey,
} from './crypto-shredding';
import { EventMetadata, NewEvent, RecordedEvent } from './envelope';
import { EventTypeRegistry } from './event-types';
import { eventMac } from './integrity/keys';
import { QuarantineGate, QuarantineLog, QuarantineReason } from './integrity/quarantine';
import { GlobalPosition } from './position';

/** An event as the adapters store it: payload text already canonical and encrypted. */
export interface EncodedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly recordedAt: string;
  /** HMAC over the stored content with the app's integrity key (absent when the codec has none). */
  readonly mac?: string;
}

/** An event row as an adapter reads it back, before decryption and upcasting. */
export interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: GlobalPosition;
  readonly hash: string;
  /** Null for events written before keyed evidence (or by a codec without the key). */
  readonly mac?: string | null;
}

/** A quarantined event as readers that must see every row (checkpoints, the global log) get it. */
export interface QuarantinedRecordedEvent extends RecordedEvent {
  readonly quarantined: QuarantineReason;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Turns domain events into stored form and back, for both adapters alike: canonical JSON,
 * personal fields encrypted with their subject's key (crypto-shredding), the recorded time in the
 * metadata, and on read decryption (or the ERASED marker) and upcasting to the current schema.
 */
export class EventCodec {
  /** With the MAC key: every row read is checked, and one the app did not write is quarantined. */
  readonly quarantine?: QuarantineGate;

  constructor(
    readonly registry: EventTypeRegistry,
    private readonly keys: KeyStore,
    /** The HMAC key of the per-event MACs (docs/adr/0002-tamper-evidence.md). */
    readonly macKey?: Buffer,
    quarantineLog = new QuarantineLog(),
  ) {
    if (macKey) this.quarantine = new QuarantineGate(macKey, quarantineLog);
  }

  async encode(streamId: string, events: readonly NewEvent[], now: Date): Promise<EncodedEvent[]> {
    return (await this.encodeMany([{ streamId, events }], now))[0];
  }

  /** Several streams' events at once, with one key lookup for all their subjects (the batch path). */
  async encodeMany(appends: readonly { streamId: string; events: readonly NewEvent[] }[], now: Date): Promise<EncodedEvent[][]> {
    const subjects = appends.flatMap(({ streamId, events }) =>
      events.flatMap((e) => {
        const spec = this.registry.personalData(e.type);
        return spec ? [spec.subject(e.data, streamId)] : [];
      }),
    );
    const keys = subjects.length ? await this.keys.keysFor(subjects, true) : new Map<string, SubjectKey>();
    this.quarantine?.keyedWritten();
    return appends.map(({ streamId, events }) => this.encodeWith(keys, streamId, events, now.toISOString()));
  }

  private encodeWith(
    keys: Map<string, SubjectKey>,
    streamId: string,
    events: readonly NewEvent[],
    recordedAt: string,
  ): EncodedEvent[] {
    return events.map((e) => {
      const eventId = (e.eventId ?? randomUUID()).toLowerCase();
      if (!UUID.test(eventId)) throw new RangeError(`event id must be a UUID: ${JSON.stringify(e.eventId)}`);
      const spec = this.registry.personalData(e.type);
      let data: unknown = e.data;
      if (spec) {
        const subject = spec.subject(e.data, streamId);
        const key = requireLiveKey(keys, subject);
        data = mapPaths(structuredClone(e.data), spec.fields, (v) => encryptValue(key, subject, v));
      }
      const metadata: EventMetadata = { ...e.metadata, recordedAt };
      const encoded = {
        eventId,
        type: e.type,
        schemaVersion: this.registry.schemaVersion(e.type),
        dataJson: canonicalJson(data),
        metadataJson: canonicalJson(metadata),
        recordedAt,
      };
      return this.macKey ? { ...encoded, mac: eventMac(this.macKey, { ...encoded, streamId }) } : encoded;
    });
  }

  /**
   * Decrypts and upcasts the rows the app wrote. A row that fails its MAC (or lacks one after
   * keyed evidence began) is quarantined: left out, or with `includeQuarantined` (readers that
   * must see every row: checkpoints, the global log) returned as stored, marked, never upcast.
   */
  async decode(rows: readonly StoredEvent[], options: { includeQuarantined?: boolean } = {}): Promise<RecordedEvent[]> {
    const quarantined = this.quarantine ? await this.quarantine.verdict(rows) : new Map<StoredEvent, QuarantineReason>();
    if (!quarantined.size) return this.decodeAdmitted(rows);
    const admitted = await this.decodeAdmitted(rows.filter((r) => !quarantined.has(r)));
    if (!options.includeQuarantined) return admitted;
    let next = 0;
    return rows.map((r) => {
      const reason = quarantined.get(r);
      return reason ? asStored(r, reason) : admitted[next++];
    });
  }

  private async decodeAdmitted(rows: readonly StoredEvent[]): Promise<RecordedEvent[]> {
    const parsed = rows.map((r) => ({ row: r, data: JSON.parse(r.dataJson) as unknown }));
    const subjects = new Set<string>();
    for (const p of parsed) {
      if (p.row.dataJson.includes('"$pii"')) collectSubjects(p.data, subjects);
    }
    const keys = subjects.size ? await this.keys.keysFor([...subjects], false) : new Map<string, SubjectKey>();
    return parsed.map(({ row, data }) => {
      const erasedFields: string[] = [];
      const declared = this.registry.personalData(row.type)?.erased ?? {};
      const plain = row.dataJson.includes('"$pii"') ? decryptTree(data, keys, '', erasedFields, declared) : data;
      const upcast = this.registry.upcast(row.type, row.schemaVersion, plain);
      return {
        eventId: row.eventId,
        type: row.type,
        schemaVersion: upcast.schemaVersion,
        data: upcast.data,
        metadata: JSON.parse(row.metadataJson),
        streamId: row.streamId,
        streamVersion: row.streamVersion,
        position: row.position,
        hash: row.hash,
        erasedFields,
      };
    });
  }
}

/** A quarantined row as stored: no decryption, no upcasting (its data may be anything). */
function asStored(row: StoredEvent, reason: QuarantineReason): QuarantinedRecordedEvent {
  return {
    eventId: row.eventId,
    type: row.type,
    schemaVersion: row.schemaVersion,
    data: null,
    metadata: safeJson(row.metadataJson) as RecordedEvent['metadata'],
    streamId: row.streamId,
    streamVersion: row.streamVersion,
    position: row.position,
    hash: row.hash,
    erasedFields: [],
    quarantined: reason,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Applies `fn` to the value at each path (`a.b`, `list[].c`, `list[]`). */
function mapPaths(root: unknown, paths: readonly string[], fn: (v: unknown) => unknown): unknown {
  for (const p of paths) root = mapPath(root, p.split('.'), fn);
  return root;
}

function mapPath(node: unknown, segments: string[], fn: (v: unknown) => unknown): unknown {
  if (node === null || node === undefined) return node;
  if (!segments.length) return fn(node);
  const [head, ...rest] = segments;
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  const obj = node as Record<string, unknown>;
  const value = key ? obj[key] : node;
  if (value === undefined) return node;
  const mapped = isList && Array.isArray(value) ? value.map((v) => mapPath(v, rest, fn)) : mapPath(value, rest, fn);
  if (!key) return mapped;
  obj[key] = mapped;
  return node;
}

function collectSubjects(node: unknown, into: Set<string>): void {
  if (isEncryptedField(node)) into.add(node.$pii.s);
  else if (Array.isArray(node)) node.forEach((n) => collectSubjects(n, into));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => collectSubjects(n, into));
}

function decryptTree(
  node: unknown,
  keys: Map<string, SubjectKey>,
  path: string,
  erased: string[],
  declared: Readonly<Record<string, unknown>>,
): unknown {
  if (isEncryptedField(node)) {
    const key = keys.get(node.$pii.s);
    if (key instanceof Buffer) return decryptValue(key, node);
    erased.push(path);
    return erasedValue(node, declared[path.replace(/\[\d+\]/g, '[]')]);
  }
  if (Array.isArray(node)) return node.map((n, i) => decryptTree(n, keys, `${path}[${i}]`, erased, declared));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = decryptTree(v, keys, path ? `${path}.${k}` : k, erased, declared);
    return out;
  }
  return node;
}
