import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase } from '../support/database';
import {
  caughtUp,
  expectCompleteEventLog,
  expectReadModelsEqualRebuild,
  startBusyLoop,
  verifyChains,
} from '../support/durability';
import { Acknowledged, HouseholdPlan, importExtract, seededRandom, seedFrom, signInOver, WriteLoad } from '../support/write-load';

/** Runs of the whole scenario (CRASH_RUNS=5 for the 5-out-of-5 proof) and app kills per run. */
const RUNS = Number(process.env.CRASH_RUNS ?? 1);
const KILLS = Number(process.env.CRASH_KILLS ?? 3);
const WRITERS = 8;

/**
 * The app killed with SIGKILL at seeded random moments while writers register and submit
 * households, with a CPU-bound process running beside it (a busy shared machine). After each
 * run: every answered command's events are in the store exactly once, no write is half there
 * (a submit's case events and its members' NIK claims, across streams, all or nothing), the
 * chains verify, and after a restart EVERY read model equals a rebuild from the first event.
 */
describe('SIGKILL of the app under a write load, on a busy machine', () => {
  let busy: ChildProcess;
  const baseSeed = seedFrom('CRASH_SEED', 'app-crash');
  const documents = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-crash-'));
  let app: AppProcess | undefined;
  let load: WriteLoad | undefined;

  beforeAll(() => {
    busy = startBusyLoop();
  });
  afterAll(() => {
    busy.kill('SIGKILL');
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    fs.rmSync(documents, { recursive: true, force: true });
  });

  for (let run = 0; run < RUNS; run++) {
    it(`run ${run + 1} of ${RUNS}: ${KILLS} kills, nothing answered lost or half-written, read models equal a rebuild`, async () => {
      const seed = baseSeed + run;
      const db = await createTestDatabase();
      try {
        await crashRun(db.url, seed);
      } catch (err) {
        throw new Error(
          `${(err as Error).message}\n(seed ${seed}; replay with CRASH_SEED=${baseSeed})\n--- app output:\n${app?.output().slice(-3000)}`,
        );
      } finally {
        await load?.stop(); // a failed run must not leave writers looping
        if (app?.child.exitCode === null) {
          app.child.kill('SIGKILL');
          await app.exited();
        }
        await db.drop();
      }
    }, 600_000);
  }

  async function crashRun(url: string, seed: number): Promise<void> {
    const random = seededRandom(seed);
    const plan = new HouseholdPlan(random);
    const ack = new Acknowledged();
    const start = () => startAppProcess(url, { LOG_LEVEL: 'warn', DOCUMENT_STORE_DIR: documents });
    let next = 0;
    const moments: string[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      app = await start();
      if (kill === 0) await importExtract(app.base, plan);
      load = new WriteLoad(app.base, plan, await signInOver(app.base, 'operator.desa'), ack, WRITERS, {
        stopOnConnectionLoss: true,
        firstHousehold: next,
      });
      // A random moment: after 1–12 more answered submits, then 0–400 ms into whatever is in flight.
      const after = 1 + Math.floor(random() * 12);
      const delay = Math.floor(random() * 400);
      await load.untilSubmits(ack.submits.size + after, 180_000);
      await new Promise((r) => setTimeout(r, delay));
      app.child.kill('SIGKILL');
      await load.finished();
      await app.exited();
      next = load.nextHousehold;
      load = undefined;
      moments.push(`+${after} submits +${delay} ms`);
    }
    process.stdout.write(
      `app-crash seed ${seed}: kills at ${moments.join('; ')}; ${ack.drafts.size} drafts and ${ack.submits.size} submits answered\n`,
    );
    expect(ack.unexpected).toEqual([]);

    app = await start();
    await caughtUp(app.base, 180_000);
    await expectCompleteEventLog(url, ack);
    const chains = await verifyChains(url);
    expect({ ok: chains.ok, output: chains.ok ? '' : chains.output }).toEqual({ ok: true, output: '' });
    const live = await expectReadModelsEqualRebuild(url);
    expect(live.registration_cases.length).toBeGreaterThanOrEqual(ack.drafts.size);
    expect(live.work_items.length).toBeGreaterThanOrEqual(ack.submits.size);
    app.child.kill('SIGTERM');
    await app.exited();
  }
});
