import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { WrongExpectedVersionError } from '../event-store/errors';
import type { EventStore } from '../event-store/port';
import type { DatabaseSupervision } from '../database/postgres-supervisor';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The app's Prometheus instruments, in one registry: HTTP latency per route, command outcomes,
 * events appended, projection lag, and Node's own (memory, event-loop delay, GC).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'bansos_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'bansos_command_outcomes_total',
    help: 'Writes (POST/PUT/PATCH/DELETE) by route and outcome: "accepted" or the error code',
    labelNames: ['route', 'outcome'],
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'bansos_events_appended_total',
    help: 'Events appended to the event store by this instance',
    registers: [this.registry],
  });

  readonly appendConflicts = new Counter({
    name: 'bansos_append_conflicts_total',
    help: 'Appends refused because a stream had moved on (optimistic concurrency)',
    registers: [this.registry],
  });

  readonly projectionLagEvents = new Gauge({
    name: 'bansos_projection_lag_events',
    help: 'Events a projection still has to process (counted up to 100,000)',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  readonly projectionLagSeconds = new Gauge({
    name: 'bansos_projection_lag_seconds',
    help: 'Age of the oldest event a projection has not processed yet',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  readonly pendingEvents = new Gauge({
    name: 'bansos_event_store_pending_events',
    help: 'Events appended but not yet visible to readers (their appending transaction is still open)',
    registers: [this.registry],
  });

  readonly heldBackSeconds = new Gauge({
    name: 'bansos_event_store_held_back_seconds',
    help: 'Age of the open appending transaction that holds readers back (0 when none)',
    registers: [this.registry],
  });

  constructor(embedded?: DatabaseSupervision) {
    collectDefaultMetrics({ register: this.registry, prefix: 'bansos_' });
    if (embedded) this.watchEmbeddedDatabase(embedded);
  }

  /** Read from the supervisor at each scrape, so they are exact however often they change. */
  private watchEmbeddedDatabase(embedded: DatabaseSupervision): void {
    new Gauge({
      name: 'bansos_embedded_postgres_up',
      help: 'Embedded PostgreSQL: 1 running, 0 restarting after a crash, -1 the supervisor gave up',
      registers: [this.registry],
      collect() {
        const { state } = embedded.status();
        this.set(state === 'running' ? 1 : state === 'restarting' ? 0 : -1);
      },
    });
    new Counter({
      name: 'bansos_embedded_postgres_restarts_total',
      help: 'Times the app restarted its embedded PostgreSQL after it died',
      registers: [this.registry],
      collect() {
        this.reset(); // a counter cannot be set; the supervisor holds the running total
        this.inc(embedded.status().restarts);
      },
    });
  }

  /** Events read from the store that failed their MAC and were kept from every reader. */
  watchQuarantine<T extends { readonly count: number }>(log: T): T {
    new Counter({
      name: 'bansos_event_store_quarantined_events_total',
      help: 'Events read from the store that the app did not write (MAC fails or missing): quarantined, never applied',
      registers: [this.registry],
      collect() {
        this.reset(); // a counter cannot be set; the log holds the running total
        this.inc(log.count);
      },
    });
    return log;
  }

  /** One answered request: its latency and, for a write, its outcome (the error code the filters left). */
  observeRequest(method: string, route: string, status: number, ms: number, errorCode?: string): void {
    this.httpDuration.observe({ method, route, status: String(status) }, ms / 1000);
    if (!READS.has(method)) this.commands.inc({ route, outcome: status < 400 ? 'accepted' : (errorCode ?? String(status)) });
  }

  /** Counts what goes into the store, whatever the adapter: appends and their version conflicts. */
  meter(store: EventStore): EventStore {
    const count = async <T>(events: number, append: () => Promise<T>): Promise<T> => {
      try {
        const result = await append();
        this.appendedEvents.inc(events);
        return result;
      } catch (err) {
        if (err instanceof WrongExpectedVersionError) this.appendConflicts.inc();
        throw err;
      }
    };
    const append: EventStore['append'] = (streamId, events, options) =>
      count(events.length, () => store.append(streamId, events, options));
    const appendMany: EventStore['appendMany'] = (appends) =>
      count(
        appends.reduce((n, a) => n + a.events.length, 0),
        () => store.appendMany(appends),
      );
    // Everything else goes to the adapter itself (bound, so its own state stays its own).
    return new Proxy(store, {
      get: (target, prop) => {
        if (prop === 'append') return append;
        if (prop === 'appendMany') return appendMany;
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
