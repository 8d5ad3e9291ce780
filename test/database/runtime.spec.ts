import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config/config';
import { openDatabase } from '../../src/database/data-source';
import { startRuntime } from '../../src/database/runtime';
import { createEventStore } from '../../src/event-store/create-event-store';
import { PostgresKeyStore } from '../../src/event-store/crypto-shredding';
import { EventTypeRegistry } from '../../src/event-store/event-types';

const ROOT = path.resolve(__dirname, '../..');
const DIR = `.data/test-run-${process.pid}-runtime/postgres`;

afterAll(() => fs.rmSync(path.join(ROOT, path.dirname(DIR)), { recursive: true, force: true }));

/** What `npm start` does before Nest: the embedded server, the app database, the key. */
async function withRuntime<T>(work: (store: Awaited<ReturnType<typeof createEventStore>>) => Promise<T>): Promise<T> {
  const runtime = await startRuntime(loadConfig({ EMBEDDED_PG_DIR: DIR, LOG_LEVEL: 'error' }, ROOT));
  const ds = await openDatabase(runtime.databaseUrl, 2);
  const pool = new Pool({ connectionString: runtime.databaseUrl, max: 4 });
  const registry = new EventTypeRegistry().register({
    type: 'Proposed',
    schemaVersion: 1,
    personalData: { subject: (d: { household: string }) => d.household, fields: ['headName'] },
  });
  const store = await createEventStore({ pool, keys: new PostgresKeyStore(pool, runtime.keyEncryptionKey), registry });
  try {
    return await work(store);
  } finally {
    await store.close();
    await pool.end();
    await ds.destroy();
    await runtime.stop();
  }
}

describe('start-up runtime (embedded mode)', () => {
  it('keeps events, and personal data readable, across a restart', async () => {
    await withRuntime((store) =>
      store.append('household-1', [{ type: 'Proposed', data: { household: 'hh-1', headName: 'Siti Aminah' } }], {
        expectedVersion: 'no_stream',
      }),
    );
    const keyFile = path.join(ROOT, path.dirname(DIR), '.key-encryption-key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const events = await withRuntime((store) => store.readStream('household-1'));
    expect(events.map((e) => e.data)).toEqual([{ household: 'hh-1', headName: 'Siti Aminah' }]);
  });
});
