import { NestFactory } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabaseName } from '../../src/database/urls';
import { DocumentStore } from '../../src/documents/document-store';
import { DukcapilService } from '../../src/dukcapil/dukcapil.service';
import { assess } from '../../src/eligibility/pmt';
import { EVENT_STORE, EventStore, StreamAppend } from '../../src/event-store/port';
import { Application } from '../../src/registration/application';
import { BatchDecisions } from '../../src/registration/batch-decisions.service';
import { registrationDecider } from '../../src/registration/decider';
import { RegistrationEvent } from '../../src/registration/events';
import { RegistrationCases } from '../../src/registration/registration-cases.service';
import { actor, application, AT, cmd, facts, history, MODEL, POOR } from '../registration/fixtures';
import { BenchRow, printTable, removeServerFolders, round, runConcurrent, writeResults } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);

/** Household i: one head with a unique, valid NIK in Kecamatan Margaasih and its own KK. */
function household(i: number): Application {
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const serial = 1 + Math.floor(i / 336);
  const dd = String(day).padStart(2, '0');
  const mm = String(month).padStart(2, '0');
  const nik = `320410${dd}${mm}80${String(serial).padStart(4, '0')}`;
  const kk = `320410010120${String(i % 10000).padStart(4, '0')}`;
  const head = {
    nik,
    fullName: `WARGA ${i}`,
    birthDate: `1980-${mm}-${dd}`,
    sex: 'L' as const,
    relation: 'KEPALA_KELUARGA' as const,
    maritalStatus: 'KAWIN' as const,
  };
  return application({ kkNumber: kk, members: [head] });
}

function extractCsv(count: number): Buffer {
  const lines = ['nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa'];
  for (let i = 0; i < count; i++) {
    const h = household(i);
    const m = h.members[0];
    lines.push(`${m.nik},${h.kkNumber},${m.fullName},${m.birthDate},L,32.04.10.2001`);
  }
  return Buffer.from(lines.join('\n'));
}

/** How fast the registration side runs: decide alone, a registration end to end, a batch decision. */
export async function vervalBenchmark(): Promise<BenchRow[]> {
  const dataDir = path.resolve(__dirname, '../../.data', `bench-verval-${process.pid}`);
  const pg = await startEmbeddedPostgres({ dataDir, settings: { max_connections: 120, shared_buffers: '256MB' } });
  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-docs-'));
  const rows: BenchRow[] = [];
  try {
    const admin = new Client(pg.url);
    await admin.connect();
    await admin.query('create database bench_verval');
    await admin.end();
    const config = loadConfig({ LOG_LEVEL: 'warn', DEMO_DATA: 'false', DOCUMENT_STORE_DIR: documentsDir });
    const settings = {
      config,
      databaseUrl: withDatabaseName(pg.url, 'bench_verval'),
      keyEncryptionKey: randomBytes(32),
      database: 'external' as const,
      runProjections: false,
    };
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(settings), { logger: ['error'] });

    const csv = extractCsv(RESIDENTS);
    let t0 = process.hrtime.bigint();
    await app.get(DukcapilService).importExtract({ body: csv, contentType: 'text/csv' }, null, AT.slice(0, 10));
    let seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push({
      benchmark: 'Dukcapil import',
      variant: 'CSV → table, one transaction',
      operations: RESIDENTS,
      seconds: round(seconds),
      perSecond: Math.round(RESIDENTS / seconds),
      note: 'rows',
    });

    rows.push(decideOnly());

    const cases = app.get(RegistrationCases);
    let next = 0;
    for (const writers of [1, 8]) {
      const r = await runConcurrent(writers, SECONDS, async () => {
        const i = next++;
        const caseId = randomUUID();
        const who = actor('operator_desa');
        await cases.execute(caseId, { type: 'saveDraft', caseId, channel: 'KANTOR_DESA', application: household(i), actor: who });
        const res = await cases.execute(caseId, { type: 'submit', actor: who });
        if (res.status !== 'PEMERIKSAAN_DOKUMEN') throw new Error(`household ${i}: ${res.status}`);
      });
      rows.push({
        benchmark: 'register',
        variant: 'draft + submit (checks, Dukcapil, NIK claims)',
        writers,
        ...r,
        note: 'per household (2 commands)',
      });
    }

    const store = app.get<EventStore>(EVENT_STORE);
    const caseIds = await seedAwaitingMusdes(store, BATCH, next);
    const minutes = await app.get(DocumentStore).store(Buffer.from('%PDF-1.4 berita acara'), 'application/pdf');
    const batch = {
      action: 'decideMusdes' as const,
      approve: true,
      actor: actor('operator_desa'),
      caseIds,
      evidence: [{ kind: 'document', sha256: minutes.sha256 }],
    };
    for (const dryRun of [true, false]) {
      t0 = process.hrtime.bigint();
      const result = await app.get(BatchDecisions).decide({ ...batch, dryRun });
      seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      rows.push({
        benchmark: 'batch decision',
        variant: dryRun ? 'musdes, preview (dry run)' : 'musdes, one atomic append',
        operations: result.count,
        seconds: round(seconds),
        perSecond: Math.round(result.count / seconds),
        note: 'cases',
      });
    }
    await app.close();
  } finally {
    await pg.stop();
    fs.rmSync(documentsDir, { recursive: true, force: true });
    removeServerFolders(dataDir);
  }
  return rows;
}

/** The pure decider: submit with all automatic checks, in process. */
function decideOnly(): BenchRow {
  const state = history.draft().reduce(registrationDecider.evolve, registrationDecider.initialState());
  const command = cmd('submit', 'operator_desa', { registrationNumber: 'REG-3204102001-261124-ABCDEF', facts: facts() });
  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) registrationDecider.decide(command, state);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    benchmark: 'decide',
    variant: 'submit with automatic checks (pure)',
    operations: n,
    seconds: round(seconds),
    perSecond: Math.round(n / seconds),
  };
}

/** Cases already eligible and waiting for the village deliberation, written straight to the store. */
async function seedAwaitingMusdes(store: EventStore, count: number, offset: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 200) {
    const appends: StreamAppend[] = [];
    for (let i = start; i < Math.min(count, start + 200); i++) {
      const caseId = randomUUID();
      const app = household(offset + i);
      const events: RegistrationEvent[] = [
        { type: 'RegistrationDraftSaved', data: { caseId, channel: 'KANTOR_DESA', application: app } },
        { type: 'RegistrationSubmitted', data: { registrationNumber: `REG-3204102001-261124-${String(i).padStart(6, '0')}` } },
        { type: 'AutomaticChecksPassed', data: { checkedOn: AT.slice(0, 10) } },
        { type: 'DocumentsFoundComplete', data: { documentCount: 6 } },
        { type: 'RegistrationValidated', data: { fieldVisitRequired: false } },
        { type: 'EligibilityAssessed', data: { result: assess(MODEL, POOR, 1, false) } },
      ];
      ids.push(caseId);
      appends.push({
        streamId: `registration-${caseId}`,
        expectedVersion: 'no_stream',
        events: events.map((e) => ({ ...e, metadata: { actor: actor('operator_desa') } })),
      });
    }
    await store.appendMany(appends);
  }
  return ids;
}

if (require.main === module) {
  void (async () => {
    const rows = await vervalBenchmark();
    printTable('Verval (registration) on the embedded PostgreSQL, fsync on', rows);
    process.stdout.write(`results: ${writeResults('verval', rows)}\n`);
  })();
}
