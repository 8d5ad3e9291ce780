import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { describeError } from '../../shared/safe-error';
import { Clock } from '../../shared/clock';
import { RecordedEvent } from '../envelope';
import { EventStore } from '../port';
import { START } from '../position';
import {
  appendRecord,
  CheckpointRecord,
  LOG_GENESIS,
  logStep,
  positionJson,
  positionOf,
  readCheckpointFile,
  SealedStream,
  signRecord,
} from './checkpoint-file';
import { IntegrityKeys } from './keys';

export interface CheckpointWriterOptions {
  readonly file: string;
  readonly intervalMs: number;
  /** The connection string for the leader lease (one writer across app instances). */
  readonly databaseUrl: string;
  /** Most events one record seals (a large import is sealed over several records). */
  readonly maxEventsPerRecord?: number;
}

/** The MAC check of newly sealed streams goes in chunks, so a bulk import is not one huge query. */
const VERIFY_CHUNK = 500;

/**
 * Follows the global log and, at intervals, appends a signed checkpoint of what changed to a file
 * outside the database: per stream the new events' ids and the head's link hash, and the running
 * hash of the whole log. One writer across instances: a PostgreSQL advisory lock is the lease,
 * as for projections; the file is read again on taking the lease, so a new leader continues the
 * chain of records when the file is shared (docs/adr/0002-tamper-evidence.md).
 */
export class CheckpointWriter {
  private readonly logger = new Logger(CheckpointWriter.name);
  private lease?: Client;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private state?: { last?: CheckpointRecord };
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly keys: IntegrityKeys,
    private readonly clock: Clock,
    private readonly options: CheckpointWriterOptions,
  ) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.lease?.end().catch(() => undefined);
  }

  /**
   * Seals everything visible now, if this instance holds the lease (else undefined). Rounds never
   * overlap within a process: the timer's and a caller's wait for each other.
   */
  sealNow(): Promise<CheckpointRecord[] | undefined> {
    const round = this.serial.then(async () => {
      if (!(await this.holdsLease())) return undefined;
      const written: CheckpointRecord[] = [];
      for (let record = await this.sealOnce(); record; record = await this.sealOnce()) written.push(record);
      return written;
    });
    this.serial = round.catch(() => undefined);
    return round;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    try {
      await this.sealNow();
    } catch (err) {
      this.logger.error(`integrity checkpoint failed, retrying: ${describeError(err)}`);
    }
  }

  private async holdsLease(): Promise<boolean> {
    if (this.lease) return true;
    const client = new Client({ connectionString: this.options.databaseUrl });
    const lost = (): void => {
      if (this.lease === client) this.lease = undefined;
      this.state = undefined; // a new leader may have written meanwhile
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>(
      `select pg_try_advisory_lock(hashtext('bansos-verval:integrity-checkpoints')) as locked`,
    );
    if (!rows[0].locked) {
      client.removeListener('end', lost);
      await client.end();
      return false;
    }
    this.lease = client;
    this.state = undefined;
    return true;
  }

  private async sealOnce(): Promise<CheckpointRecord | undefined> {
    this.state ??= { last: readCheckpointFile(this.options.file, this.keys.publicKey).records.at(-1) };
    const last = this.state.last;
    const from = last ? positionOf(last.to) : START;
    const events = await this.readAfter(from);
    if (!events.length) return undefined;
    let log = last?.log ?? { n: 0, h: LOG_GENESIS };
    for (const e of events) log = { n: log.n + 1, h: logStep(log.h, e.streamId, e.streamVersion, e.hash) };
    const streams = sealedStreams(events);
    const forged = await this.forgedVersions(streams);
    const record = signRecord(
      {
        v: 1,
        seq: (last?.seq ?? 0) + 1,
        prev: last?.sig ?? '',
        at: this.clock.now().toISOString(),
        from: positionJson(from),
        to: positionJson(events[events.length - 1].position),
        log,
        streams: streams.map((s) => withForged(s, forged.get(s.s) ?? [])),
      },
      this.keys.signingKey,
    );
    await appendRecord(this.options.file, record);
    this.state = { last: record };
    return record;
  }

  private async readAfter(from: typeof START): Promise<RecordedEvent[]> {
    const max = this.options.maxEventsPerRecord ?? 20_000;
    const events: RecordedEvent[] = [];
    for (let position = from; events.length < max;) {
      const batch = await this.store.readAll({
        from: position,
        limit: Math.min(5000, max - events.length),
        includeQuarantined: true, // sealed too, and named forged in the record
      });
      events.push(...batch.events);
      position = batch.position;
      if (batch.isEnd) break;
    }
    return events;
  }

  /** Versions among the newly sealed whose MAC fails now: the record says so for ever. */
  private async forgedVersions(streams: readonly SealedStream[]): Promise<Map<string, number[]>> {
    const forged = new Map<string, number[]>();
    const ids = [...new Set(streams.map((s) => s.s))];
    for (let i = 0; i < ids.length; i += VERIFY_CHUNK) {
      const report = await this.store.verifyIntegrity({ streamIds: ids.slice(i, i + VERIFY_CHUNK) });
      for (const b of report.broken) {
        const versions = b.problems
          .filter((p) => (p.kind === 'forged' || p.kind === 'mac-removed' || p.kind === 'edited') && p.streamVersion)
          .map((p) => p.streamVersion!);
        if (versions.length) forged.set(b.streamId, versions);
      }
    }
    return forged;
  }
}

function withForged(s: SealedStream, versions: readonly number[]): SealedStream {
  const inRun = versions.filter((v) => v >= s.from && v < s.from + s.ids.length);
  return inRun.length ? { ...s, forged: inRun } : s;
}

/** The events grouped by stream, one entry per run of consecutive versions. */
function sealedStreams(events: readonly RecordedEvent[]): SealedStream[] {
  const runs = new Map<string, { s: string; from: number; ids: string[]; h: string }[]>();
  for (const e of events) {
    const list = runs.get(e.streamId) ?? [];
    runs.set(e.streamId, list);
    const run = list.at(-1);
    if (run && run.from + run.ids.length === e.streamVersion) {
      run.ids.push(e.eventId);
      run.h = e.hash;
    } else list.push({ s: e.streamId, from: e.streamVersion, ids: [e.eventId], h: e.hash });
  }
  return [...runs.values()].flat();
}
