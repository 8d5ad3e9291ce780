import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { EVENT_STORE, EventStore, VisibilityReport } from '../event-store/port';
import { QuarantinedEvent, QuarantineLog } from '../event-store/integrity/quarantine';
import { formatPosition } from '../event-store/position';
import { ProjectionRunners } from '../projection-runner/projection-runners';
import type { EmbeddedDatabaseStatus } from '../database/postgres-supervisor';

export type ComponentStatus = 'up' | 'down';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  database: {
    status: ComponentStatus;
    mode: 'embedded' | 'external';
    latencyMs?: number;
    error?: string;
    /** The embedded server's supervision: restarts after a crash, or that it gave up. */
    embedded?: EmbeddedDatabaseStatus;
  };
  eventStore: {
    status: ComponentStatus;
    adapter: 'postgres' | 'eventstoredb';
    head?: string;
    /** Events appended but not yet visible to readers (their transaction is still open). */
    pendingEvents?: number;
    /** The open appending transaction that holds readers back: pid, application, age (no SQL text). */
    heldBackBy?: VisibilityReport['heldBackBy'];
    /** Appends waiting behind it. */
    waitingAppends?: number;
    /** Events read that failed their MAC: never applied. The latest few, without personal data. */
    quarantined?: { count: number; latest: readonly QuarantinedEvent[] };
    error?: string;
  };
  /**
   * Seconds the oldest open writing transaction on the server has run. Informational: only an
   * open *appending* transaction holds readers back (eventStore.heldBackBy).
   */
  oldestOpenTransactionSeconds?: number;
  projections: { name: string; position: string; lagEvents: number; lagSeconds: number; runningHere: boolean }[];
}

/** /health is polled often: it counts a projection's lag up to this many events. */
const HEALTH_LAG_COUNT_LIMIT = 100_000;

/** Above this lag a projection makes the app "degraded" (still serving, but reads are stale). */
const DEGRADED_LAG_SECONDS = 30;

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runners: ProjectionRunners,
    private readonly quarantine: QuarantineLog,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, eventStore] = await Promise.all([this.database(), this.eventStore()]);
    const projections = database.report.status === 'up' && eventStore.status === 'up' ? await this.projections() : [];
    const down = database.report.status === 'down' || eventStore.status === 'down';
    const lagging = projections.some((p) => p.lagSeconds > DEGRADED_LAG_SECONDS);
    return {
      status: down ? 'down' : lagging ? 'degraded' : 'ok',
      database: database.report,
      eventStore,
      oldestOpenTransactionSeconds: database.oldestOpenTransactionSeconds,
      projections,
    };
  }

  private async database(): Promise<{ report: HealthReport['database']; oldestOpenTransactionSeconds?: number }> {
    const started = Date.now();
    const embedded = this.settings.embeddedDatabase?.status();
    if (embedded && embedded.state !== 'running') {
      const error =
        embedded.state === 'failed' ? 'embedded PostgreSQL died; restarting gave up' : 'embedded PostgreSQL is restarting';
      return { report: { status: 'down', mode: this.settings.database, error, embedded } };
    }
    try {
      const [row] = await this.dataSource.query(
        `select coalesce(extract(epoch from max(now() - xact_start)), 0)::float as oldest
         from pg_stat_activity where backend_xid is not null`,
      );
      return {
        report: { status: 'up', mode: this.settings.database, latencyMs: Date.now() - started, embedded },
        oldestOpenTransactionSeconds: Math.round(row.oldest * 1000) / 1000,
      };
    } catch (err) {
      return { report: { status: 'down', mode: this.settings.database, error: (err as Error).message, embedded } };
    }
  }

  private async eventStore(): Promise<HealthReport['eventStore']> {
    const adapter = this.settings.config.eventStoreConnectionString ? 'eventstoredb' : 'postgres';
    try {
      const [head, visibility] = await Promise.all([this.store.headPosition(), this.store.visibility()]);
      return {
        status: 'up',
        adapter,
        head: formatPosition(head),
        pendingEvents: visibility.pendingEvents,
        heldBackBy: visibility.heldBackBy && roundSeconds(visibility.heldBackBy),
        waitingAppends: visibility.waitingAppends,
        quarantined: { count: this.quarantine.count, latest: this.quarantine.recent() },
      };
    } catch (err) {
      return { status: 'down', adapter, error: (err as Error).message };
    }
  }

  private async projections(): Promise<HealthReport['projections']> {
    const perRunner = await Promise.all(this.runners.all().map((r) => r.status({ maxLagCount: HEALTH_LAG_COUNT_LIMIT })));
    const statuses = perRunner.flat();
    return statuses.map((s) => ({
      name: s.name,
      position: formatPosition(s.position),
      lagEvents: s.lagEvents,
      lagSeconds: Math.round(s.lagSeconds * 1000) / 1000,
      runningHere: s.runningHere,
    }));
  }
}

function roundSeconds<T extends { seconds: number }>(v: T): T {
  return { ...v, seconds: Math.round(v.seconds * 1000) / 1000 };
}
