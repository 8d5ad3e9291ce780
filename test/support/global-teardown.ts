import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunningPostgres } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__EMBEDDED_PG__ as RunningPostgres | undefined;
  if (!pg) return;
  await pg.stop();
  const parent = path.dirname(pg.dataDir);
  const base = path.basename(pg.dataDir);
  for (const name of [base, `.${base}-password`, `.${base}-socket`]) {
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}
