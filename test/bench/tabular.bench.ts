import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Client } from 'pg';
import { readIdnAreaData } from '../../src/reference/idn-area-data';
import { generatePopulation } from '../../src/synthetic/population';
import { BenchRow, peakRssMb, benchDatabase, round, runCli } from './harness';
import { signIn, startBenchApp, stopBenchApp } from './http-load';

const ROWS = Number(process.env.BENCH_TABULAR_ROWS ?? 1_000_000);
const PORT = 3700 + (process.pid % 90);

/**
 * Bulk data at a million rows, with the memory each side needs: a Dukcapil extract of ROWS persons
 * imported by the CLI (a stream, written in chunks in one transaction), and a registry extract of
 * ROWS households exported over HTTP as CSV and as XLSX (keyset pages, streamed to the client).
 */
export async function tabularBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const server = await benchDatabase('tabular');
  const { url, dataDir } = server;
  let app: ChildProcess | undefined;
  try {
    const file = path.join(dataDir, 'ekstrak.csv');
    const persons = await writeExtract(file);
    const started = Date.now();
    const imported = await runCli(url, ['dukcapil:import', file]);
    const importSeconds = (Date.now() - started) / 1000;
    const rows: BenchRow[] = [
      {
        benchmark: 'Dukcapil extract import (CLI, CSV streamed, one transaction)',
        variant: `${persons} rows, ${Math.round(fs.statSync(file).size / 2 ** 20)} MB`,
        operations: persons,
        seconds: round(importSeconds),
        perSecond: Math.round(persons / importSeconds),
        note: `CLI peak RSS ${imported.peakRssMb} MB (process start included)`,
      },
    ];
    const households = await loadHouseholds(url);
    app = await startBenchApp(url, dataDir, PORT);
    const token = await signIn(`http://127.0.0.1:${PORT}`, 'kemensos');
    const baseline = peakRssMb(app.pid!);
    for (const format of ['csv', 'xlsx'] as const) {
      const t0 = Date.now();
      const bytes = await download(`/api/v1/households/export?format=${format}`, token);
      const seconds = (Date.now() - t0) / 1000;
      rows.push({
        benchmark: 'registry extract export (HTTP, keyset pages of 5,000, streamed)',
        variant: `${format}, ${households} households`,
        operations: households,
        seconds: round(seconds),
        perSecond: Math.round(households / seconds),
        note: `${Math.round(bytes / 2 ** 20)} MB sent; app peak RSS ${peakRssMb(app.pid!)} MB (${baseline} MB before the exports)`,
      });
    }
    return { rows, extra: { persons, households } };
  } finally {
    await stopBenchApp(app);
    await server.stop();
  }
}

/** An extract of about ROWS persons from the seeded population (valid NIKs, real villages). */
async function writeExtract(file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write('nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa\n');
  const villages = readIdnAreaData()
    .filter((r) => r.level === 'desa')
    .map((r) => r.code);
  let persons = 0;
  for (const h of generatePopulation({ seed: 5, households: Math.ceil(ROWS / 3), villageCodes: villages, today: '2026-11-24' })) {
    for (const m of h.members) {
      if (persons === ROWS) break;
      persons++;
      const line = `${m.nik},${h.kkNumber},${m.fullName.toUpperCase()},${m.birthDate},${m.sex},${h.villageCode}\n`;
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    if (persons === ROWS) break;
  }
  await new Promise<void>((r) => out.end(() => r()));
  return persons;
}

/** ROWS households straight into the read model the export reads (the projection is measured elsewhere). */
async function loadHouseholds(url: string): Promise<number> {
  const db = new Client(url);
  await db.connect();
  await db.query(
    `with v as (select array_agg(distinct village_code) as codes from dukcapil_residents)
     insert into households (household_id, village_code, active, desil, established_at, last_verified_at)
     select gen_random_uuid(), v.codes[1 + n % array_length(v.codes, 1)], true, 1 + n % 10, now() - (n % 700) * interval '1 day', now()
     from generate_series(1, $1::int) n, v`,
    [ROWS],
  );
  await db.query('vacuum analyze households');
  const [{ count }] = (await db.query('select count(*)::int as count from households')).rows;
  await db.end();
  return count;
}

/** Reads a download to its end, counting bytes (the client keeps none of it). */
function download(pathname: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${PORT}${pathname}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${pathname}: ${res.statusCode}`));
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
