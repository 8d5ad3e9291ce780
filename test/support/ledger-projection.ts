import { DataSource, EntityManager } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';

/**
 * A test read model that makes double and missing applications visible: one ledger row per
 * event (a second application violates the primary key) and a running total per stream.
 */
export class LedgerProjection extends Projection {
  readonly name = 'ledger';
  readonly tables = ['ledger', 'ledger_totals'];
  /** Fault injection: throw when this event number (1-based, across the run) is reached. */
  failAt?: number;
  /** Delay per event, so a test can kill the process in the middle of a batch. */
  delayMs = 0;
  onApplied?: (count: number) => void;
  private applied = 0;

  protected readonly handlers: Record<string, ProjectionHandler> = {
    Counted: (e, m) => this.count(e, m),
  };

  private async count(e: RecordedEvent, m: EntityManager): Promise<void> {
    if (this.failAt !== undefined && this.applied + 1 === this.failAt) throw new Error('injected fault');
    await m.query('insert into ledger (event_id, stream_id, stream_version, holder) values ($1, $2, $3, $4)', [
      e.eventId,
      e.streamId,
      e.streamVersion,
      (e.data as { holder?: string }).holder ?? null,
    ]);
    await m.query(
      `insert into ledger_totals (stream_id, total) values ($1, 1)
       on conflict (stream_id) do update set total = ledger_totals.total + 1`,
      [e.streamId],
    );
    this.applied++;
    this.onApplied?.(this.applied);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
  }
}

/** The ledger's tables: test-only, so created here rather than by a migration. */
export async function createLedgerTables(ds: DataSource): Promise<void> {
  await ds.query(`
    create table if not exists ledger (event_id uuid primary key, stream_id text not null,
      stream_version int not null, holder text);
    create table if not exists ledger_totals (stream_id text primary key, total int not null);
  `);
}
