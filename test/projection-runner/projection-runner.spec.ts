import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { StreamCatalogueProjection } from '../../projections/stream-catalogue/stream-catalogue.projection';
import { ERASED } from '../../src/event-store/crypto-shredding';
import { comparePositions, START } from '../../src/event-store/position';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';
import { ProjectionRunner, ProjectionTimeoutError } from '../../src/projection-runner/projection-runner';
import { createStoreFixture, StoreFixture } from '../support/database';
import { createLedgerTables, LedgerProjection } from '../support/ledger-projection';

async function appendCounted(fx: StoreFixture, count: number, streams = 5): Promise<void> {
  for (let i = 0; i < count; i++) {
    await fx.store.append(`acct-${i % streams}`, [{ type: 'Counted', data: { i } }], { expectedVersion: 'any' });
  }
}

async function ledgerState(fx: StoreFixture): Promise<{ rows: number; distinct: number; total: number }> {
  const [r] = await fx.dataSource.query(
    `select (select count(*)::int from ledger) as rows, (select count(distinct event_id)::int from ledger) as distinct,
            (select coalesce(sum(total), 0)::int from ledger_totals) as total`,
  );
  return r;
}

describe('projection runner: checkpoints and crashes', () => {
  let fx: StoreFixture;
  beforeEach(async () => {
    fx = await createStoreFixture();
    await createLedgerTables(fx.dataSource);
  });
  afterEach(() => fx.close());

  it('given a handler that throws in the middle of a batch, resumes from the committed checkpoint: nothing twice, nothing missing', async () => {
    await appendCounted(fx, 50);
    const ledger = new LedgerProjection();
    ledger.failAt = 23;
    const runner = new ProjectionRunner(fx.dataSource, fx.store, [ledger], { batchSize: 10 });
    await expect(runner.catchUp(ledger)).rejects.toThrow('injected fault');
    expect(await ledgerState(fx)).toEqual({ rows: 20, distinct: 20, total: 20 });

    const [status] = await runner.status();
    expect(status).toMatchObject({ eventsApplied: 20, lagEvents: 30 });
    expect(status.lagSeconds).toBeGreaterThanOrEqual(0);

    ledger.failAt = undefined;
    await runner.catchUp(ledger);
    expect(await ledgerState(fx)).toEqual({ rows: 50, distinct: 50, total: 50 });
    expect((await runner.status())[0]).toMatchObject({ eventsApplied: 50, lagEvents: 0, lagSeconds: 0 });
  });

  it('given the process is killed (SIGKILL) in the middle of a batch, a restart resumes exactly after the last committed batch', async () => {
    await appendCounted(fx, 60);
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'ledger-child.ts'), fx.url], {
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        // Event 25 is the fifth of the third batch of ten: applied, not yet committed.
        if (/applied 25\b/.test(chunk.toString())) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const committed = await ledgerState(fx);
    expect(committed.rows).toBeGreaterThanOrEqual(20);
    expect(committed.rows).toBeLessThan(30);
    expect(committed.rows % 10).toBe(0);

    const ledger = new LedgerProjection();
    const runner = new ProjectionRunner(fx.dataSource, fx.store, [ledger], { batchSize: 10 });
    await runner.catchUp(ledger);
    expect(await ledgerState(fx)).toEqual({ rows: 60, distinct: 60, total: 60 });
  });
});

describe('projection runner: live tail, read-your-writes, leases and rebuild', () => {
  let fx: StoreFixture;
  beforeAll(async () => {
    fx = await createStoreFixture({ pollIntervalMs: 100 });
    await createLedgerTables(fx.dataSource);
  });
  afterAll(() => fx.close());

  const catalogue = async (): Promise<unknown[]> =>
    fx.dataSource.query(
      'select stream_id, category, version, last_event_type, first_recorded_at, last_recorded_at from stream_catalogue order by stream_id',
    );

  it('tails live events and lets a reader wait for its own write, within a bounded time', async () => {
    const projection = new StreamCatalogueProjection();
    const runner = new ProjectionRunner(fx.dataSource, fx.store, [projection], { batchSize: 50 });
    runner.start();
    try {
      const { position } = await fx.store.append('case-live', [{ type: 'Opened', data: {} }], { expectedVersion: 'no_stream' });
      await runner.waitFor(position, { timeoutMs: 5000 });
      const rows = await fx.dataSource.query(
        `select version, last_event_type from stream_catalogue where stream_id = 'case-live'`,
      );
      expect(rows).toEqual([{ version: 1, last_event_type: 'Opened' }]);
    } finally {
      await runner.stop();
    }
    const { position } = await fx.store.append('case-live', [{ type: 'Closed', data: {} }], { expectedVersion: 1 });
    const stopped = new ProjectionRunner(fx.dataSource, fx.store, [projection]);
    await expect(stopped.waitFor(position, { timeoutMs: 200 })).rejects.toBeInstanceOf(ProjectionTimeoutError);
  });

  it('runs each projection on one instance only; another takes over when the leader stops', async () => {
    const a = new ProjectionRunner(fx.dataSource, fx.store, [new StreamCatalogueProjection()], { leaseRetryMs: 100 });
    const b = new ProjectionRunner(fx.dataSource, fx.store, [new StreamCatalogueProjection()], { leaseRetryMs: 100 });
    try {
      a.start();
      await new Promise((r) => setTimeout(r, 300));
      b.start();
      await new Promise((r) => setTimeout(r, 300));
      expect([(await a.status())[0].runningHere, (await b.status())[0].runningHere]).toEqual([true, false]);
      await a.stop();
      const { position } = await fx.store.append('case-lease', [{ type: 'Opened', data: {} }], { expectedVersion: 'no_stream' });
      await b.waitFor(position, { timeoutMs: 5000 });
      expect((await b.status())[0].runningHere).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('holds every lease of an instance on one session, and lets them all go when it stops', async () => {
    const runner = new ProjectionRunner(fx.dataSource, fx.store, [new StreamCatalogueProjection(), new LedgerProjection()]);
    const holders = async () =>
      (
        await fx.dataSource.query(
          `select count(*)::int as locks, count(distinct pid)::int as sessions from pg_locks
           where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
        )
      )[0];
    runner.start(); // both loops ask for their lease at once
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(await holders()).toEqual({ locks: 2, sessions: 1 });
    } finally {
      await runner.stop();
    }
    expect(await holders()).toEqual({ locks: 0, sessions: 0 });
  });

  it('rebuilds into shadow tables while events keep arriving, and the result equals the live read model', async () => {
    for (let i = 0; i < 120; i++) {
      await fx.store.append(`household-${i % 17}`, [{ type: 'Updated', data: { i } }], { expectedVersion: 'any' });
    }
    const projection = new StreamCatalogueProjection();
    const runner = new ProjectionRunner(fx.dataSource, fx.store, [projection], { batchSize: 100 });
    await runner.catchUp(projection);
    const live = await catalogue();
    const indexesBefore = await fx.dataSource.query(
      `select indexname from pg_indexes where tablename = 'stream_catalogue' order by 1`,
    );

    runner.start(); // the live projection keeps running during the rebuild
    const phases: string[] = [];
    let writing = true;
    let lastWrite = START;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        lastWrite = (await fx.store.append(`household-late`, [{ type: 'Updated', data: { i } }], { expectedVersion: 'any' }))
          .position;
      }
    })();
    try {
      await runner.rebuild('stream-catalogue', (p) => phases.push(p.phase));
    } finally {
      writing = false;
      await writer;
    }
    try {
      // The last write itself, not the visible head: an open batch transaction can keep the
      // newest commit invisible for a moment, and the head would then be one event short.
      await runner.waitFor(lastWrite, { timeoutMs: 5000 });
    } finally {
      await runner.stop();
    }

    expect(phases[0]).toBe('catching-up');
    expect(phases.slice(-2)).toEqual(['swapping', 'done']);
    expect(phases.indexOf('swapping')).toBeGreaterThan(phases.lastIndexOf('catching-up'));
    const rebuilt = (await catalogue()) as { stream_id: string; version: number }[];
    const late = rebuilt.find((r) => r.stream_id === 'household-late')!;
    expect((await fx.store.readStream('household-late')).length).toBe(late.version);
    expect(rebuilt.filter((r) => r.stream_id !== 'household-late' && r.stream_id.startsWith('household-'))).toEqual(
      (live as { stream_id: string }[]).filter((r) => r.stream_id !== 'household-late' && r.stream_id.startsWith('household-')),
    );
    expect(await fx.dataSource.query(`select indexname from pg_indexes where tablename = 'stream_catalogue' order by 1`)).toEqual(
      indexesBefore,
    );
    expect(await fx.dataSource.query(`select 1 from pg_namespace where nspname like 'rebuild_%'`)).toEqual([]);
  });

  it('shows erased personal fields in a projection rebuilt after the key was destroyed', async () => {
    fx.registry.register({
      type: 'Counted',
      schemaVersion: 1,
      personalData: { subject: (d: { subject: string }) => d.subject, fields: ['holder'] },
    });
    const ledger = new LedgerProjection();
    const runner = new ProjectionRunner(fx.dataSource, fx.store, [ledger]);
    const subject = `hh-${randomUUID()}`;
    await fx.store.append(`acct-${subject}`, [{ type: 'Counted', data: { subject, holder: 'Siti Rahayu' } }], {
      expectedVersion: 'no_stream',
    });
    await runner.catchUp(ledger);
    const holder = async (): Promise<unknown> =>
      (await fx.dataSource.query('select holder from ledger where stream_id = $1', [`acct-${subject}`]))[0].holder;
    expect(await holder()).toBe('Siti Rahayu');

    await fx.keys.destroy(subject);
    await runner.rebuild('ledger');
    expect(await holder()).toBe(ERASED);
  });
});

describe('projection definitions', () => {
  it('derive their event filter from their handlers', () => {
    class Only extends Projection {
      readonly name = 'only';
      readonly tables = [];
      protected readonly handlers: Record<string, ProjectionHandler> = { A: async () => undefined, B: async () => undefined };
    }
    expect(new Only().filter).toEqual({ eventTypes: ['A', 'B'] });
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 1n })).toBe(-1);
  });
});
