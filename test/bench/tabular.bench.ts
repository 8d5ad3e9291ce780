import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Client } from 'pg';
import { EXTRACT_COLUMNS } from '../../src/dukcapil/dukcapil-extract';
import { readIdnAreaData } from '../../src/reference/idn-area-data';
import { generatePopulation } from '../../src/synthetic/population';
import { ExportFormat, writeTable } from '../../src/tabular/tabular-export';
import { BenchRow, peakRssMb, benchDatabase, round, runCli } from './harness';
import { signIn, startBenchApp, stopBenchApp } from './http-load';

const ROWS = Number(process.env.BENCH_TABULAR_ROWS ?? 1_000_000);
const PORT = 3700 + (process.pid % 90);

/**
 * Bulk data at a million rows, with the memory each side needs: a Dukcapil extract of ROWS persons
 * imported by the CLI as CSV and another as XLSX (a stream, written in chunks in one transaction),
 * and a registry extract of ROWS households exported over HTTP as CSV and as XLSX (keyset pages,
 * streamed to the client).
 */
export async function tabularBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const server = await benchDatabase('tabular');
  const { url, dataDir } = server;
  let app: ChildProcess | undefined;
  try {
    const rows: BenchRow[] = [];
    // Seeds 5 and 6 number their NIKs in separate ranges: the second extract adds persons, not repeats.
    for (const [format, seed] of [
      ['csv', 5],
      ['xlsx', 6],
    ] as const) {
      const file = path.join(dataDir, `ekstrak.${format}`);
      const persons = await writeExtract(file, format, seed);
      const started = Date.now();
      const imported = await runCli(url, ['dukcapil:import', file]);
      const importSeconds = (Date.now() - started) / 1000;
      await expectResidents(url, (format === 'csv' ? 1 : 2) * persons);
      rows.push({
        benchmark: `Dukcapil extract import (CLI, ${format.toUpperCase()} streamed, one transaction)`,
        variant: `${persons} rows, ${Math.round(fs.statSync(file).size / 2 ** 20)} MB`,
        operations: persons,
        seconds: round(importSeconds),
        perSecond: Math.round(persons / importSeconds),
        note: `CLI peak RSS ${imported.peakRssMb} MB (process start included)`,
      });
    }
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
    return { rows, extra: { rowsPerExtract: ROWS, households } };
  } finally {
    await stopBenchApp(app);
    await server.stop();
  }
}

/** An extract of ROWS persons from the seeded population (valid NIKs, real villages), as the app writes a table. */
async function writeExtract(file: string, format: ExportFormat, seed: number): Promise<number> {
  const villages = readIdnAreaData()
    .filter((r) => r.level === 'desa')
    .map((r) => r.code);
  let persons = 0;
  async function* pages(): AsyncGenerator<string[][]> {
    let page: string[][] = [];
    for (const h of generatePopulation({ seed, households: Math.ceil(ROWS / 3), villageCodes: villages, today: '2026-11-24' })) {
      for (const m of h.members.slice(0, ROWS - persons)) {
        persons++;
        page.push([m.nik, h.kkNumber, m.fullName.toUpperCase(), m.birthDate, m.sex, h.villageCode]);
      }
      if (page.length >= 5_000 || persons === ROWS) {
        yield page;
        page = [];
      }
      if (persons === ROWS) return;
    }
    yield page;
  }
  await writeTable(fs.createWriteStream(file), { format, filename: 'ekstrak', header: EXTRACT_COLUMNS, pages: pages() });
  return persons;
}

/** A figure for an import that wrote nothing would be worthless: the registry must hold every row. */
async function expectResidents(url: string, expected: number): Promise<void> {
  const db = new Client(url);
  await db.connect();
  const [{ count }] = (await db.query('select count(*)::int as count from dukcapil_residents')).rows;
  await db.end();
  if (count !== expected) throw new Error(`the registry holds ${count} persons, expected ${expected}`);
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
