import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '../../src/event-store/port';
import { GlobalPosition } from '../../src/event-store/position';
import { eventually } from './api';

/**
 * Waits until every transaction that had started when called has ended, so that every event
 * committed so far is visible: the store reads gap-safe, and a just committed event stays hidden
 * while an older transaction (a projection's batch, a saga's append) is open. Only then does an
 * empty read after a refused request prove that it wrote nothing.
 */
export async function storeCaughtUp(app: INestApplication, timeoutMs = 30_000): Promise<void> {
  const ds = app.get(DataSource);
  const [{ next }] = await ds.query<Array<{ next: string }>>(`select pg_snapshot_xmax(pg_current_snapshot())::text as next`);
  await eventually(async () => {
    const [{ xmin }] = await ds.query<Array<{ xmin: string }>>(`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
    if (BigInt(xmin) < BigInt(next)) throw new Error(`transactions before ${next} still open (oldest ${xmin})`);
  }, timeoutMs);
}

/** Events after `from` other than the system's own (sagas acting on earlier, accepted requests). */
export async function writtenAfter(store: EventStore, from: GlobalPosition): Promise<string[]> {
  const written: string[] = [];
  for (let position = from; ;) {
    const batch = await store.readAll({ from: position, limit: 100 });
    written.push(
      ...batch.events
        .filter((e) => !String(e.metadata.actor?.userId ?? '').startsWith('sistem:'))
        .map((e) => `${e.type} on ${e.streamId}`),
    );
    if (batch.isEnd) return written;
    position = batch.position;
  }
}
