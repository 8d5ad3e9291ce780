/**
 * Runs the ledger projection in a process of its own, slowly, reporting each applied event on
 * stdout, so that the test can SIGKILL it in the middle of a batch.
 */
import { Pool } from 'pg';
import { openDatabase } from '../../src/database/data-source';
import { createEventStore } from '../../src/event-store/create-event-store';
import { PostgresKeyStore } from '../../src/event-store/crypto-shredding';
import { EventTypeRegistry } from '../../src/event-store/event-types';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { TEST_KEK } from '../support/database';
import { LedgerProjection } from '../support/ledger-projection';

async function main(): Promise<void> {
  const url = process.argv[2];
  const ds = await openDatabase(url, 3);
  const pool = new Pool({ connectionString: url, max: 3 });
  const store = await createEventStore({ pool, keys: new PostgresKeyStore(pool, TEST_KEK), registry: new EventTypeRegistry() });
  const ledger = new LedgerProjection();
  ledger.delayMs = 10;
  ledger.onApplied = (n) => process.stdout.write(`applied ${n}\n`);
  const runner = new ProjectionRunner(ds, store, [ledger], { batchSize: 10 });
  runner.start();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
