import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { isAlive } from './processes';

const DATA_ROOT = path.resolve(__dirname, '../../.data');

/** Starts one PostgreSQL for the whole run, unless DATABASE_URL names a server to use. */
export default async function globalSetup(): Promise<void> {
  removeStaleRunFolders();
  if (!process.env.EVENTSTORE_CONNECTION_STRING) {
    process.stdout.write(
      '\nSKIPPED: the EventStoreDB contract suite (EVENTSTORE_CONNECTION_STRING is not set; see docs/testing.md).\n',
    );
  }
  if (process.env.DATABASE_URL) {
    process.env.TEST_PG_URL = process.env.DATABASE_URL;
    return;
  }
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(DATA_ROOT, `test-run-${process.pid}`),
    // Durability is not under test here; the fault tests that need it start their own server.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 300 },
  });
  process.env.TEST_PG_URL = pg.url;
  (globalThis as Record<string, unknown>).__EMBEDDED_PG__ = pg;
}

/** Folders of earlier runs that crashed (their server was stopped by its watchdog). */
function removeStaleRunFolders(): void {
  if (!fs.existsSync(DATA_ROOT)) return;
  for (const name of fs.readdirSync(DATA_ROOT)) {
    const m = /^\.?test-run-(\d+)/.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(DATA_ROOT, name), { recursive: true, force: true });
  }
}
