import { CheckpointLog, CheckpointRecord, logStep, LOG_GENESIS, positionOf, Seals } from './integrity/checkpoint-file';
import { EventStore, IntegrityReport, TamperKind } from './port';
import { comparePositions, START } from './position';

export interface VerificationResult {
  readonly ok: boolean;
  readonly report: IntegrityReport;
  /** The checkpoint file's own problems and the global log's differences from it. */
  readonly evidenceProblems: readonly string[];
  readonly checkpoints: number;
  /** Lines in Bahasa Indonesia and English, for the CLI. */
  readonly message: string;
}

export const TAMPER_LABELS: Record<TamperKind, { id: string; en: string }> = {
  edited: { id: 'peristiwa diubah', en: 'edited event' },
  rechained: { id: 'rantai dihitung ulang', en: 're-chained suffix' },
  deleted: { id: 'peristiwa dihapus', en: 'deleted event' },
  'deleted-tail': { id: 'peristiwa terakhir dihapus', en: 'deleted tail events' },
  reordered: { id: 'urutan diubah', en: 'reordered events' },
  forged: { id: 'peristiwa palsu disisipkan', en: 'inserted forged event' },
  'chain-broken': { id: 'tautan hash tidak cocok', en: 'hash link does not match' },
  'mac-removed': { id: 'MAC dihapus', en: 'MAC removed' },
};

/**
 * The tamper-evidence check auditors run: every stream's chain and MACs (when the key is held),
 * compared with the signed checkpoints when given, and the global log with their running hash.
 */
export async function verifyEventStore(
  store: EventStore,
  options: {
    streamIds?: readonly string[];
    onProgress?: (done: number) => void;
    checkpoints?: CheckpointLog;
    skipMacs?: boolean;
  } = {},
): Promise<VerificationResult> {
  const records = options.checkpoints?.records ?? [];
  const seals = new Seals(true);
  records.forEach((r) => seals.add(r));
  const report = await store.verifyIntegrity({
    streamIds: options.streamIds,
    onProgress: options.onProgress,
    seals: options.checkpoints ? seals : undefined,
    skipMacs: options.skipMacs,
  });
  const evidenceProblems = [...(options.checkpoints?.problems ?? [])];
  if (records.length && !options.streamIds) evidenceProblems.push(...(await checkGlobalLog(store, records)));
  const ok = report.broken.length === 0 && evidenceProblems.length === 0;
  return { ok, report, evidenceProblems, checkpoints: records.length, message: describe(report, evidenceProblems, records) };
}

/** Recomputes the running hash of the global log and compares it at every checkpoint. */
async function checkGlobalLog(store: EventStore, records: readonly CheckpointRecord[]): Promise<string[]> {
  // Once the log differs, every later checkpoint differs too: name the first, count the rest.
  let first: string | undefined;
  let later = 0;
  let log = { n: 0, h: LOG_GENESIS };
  let next = 0;
  const compare = (): void => {
    const r = records[next++];
    if (r.log.n === log.n && r.log.h === log.h) return;
    if (first === undefined) first = `global log differs from checkpoint #${r.seq} (${log.n} events where it sealed ${r.log.n})`;
    else later++;
  };
  for (let from = START; next < records.length;) {
    const batch = await store.readAll({ from, limit: 5000, includeQuarantined: true });
    for (const e of batch.events) {
      while (next < records.length && comparePositions(e.position, positionOf(records[next].to)) > 0) compare();
      log = { n: log.n + 1, h: logStep(log.h, e.streamId, e.streamVersion, e.hash) };
    }
    from = batch.position;
    if (batch.isEnd) break;
  }
  while (next < records.length) compare();
  if (first === undefined) return [];
  return [later ? `${first}; ${later} later checkpoint(s) differ too` : first];
}

function describe(report: IntegrityReport, evidence: readonly string[], records: readonly CheckpointRecord[]): string {
  const macs = report.macsChecked
    ? 'MAC diperiksa / MACs checked'
    : 'MAC tidak diperiksa (tanpa kunci) / MACs not checked (no key)';
  const last = records.at(-1);
  const sealed = last
    ? `${records.length} checkpoint, terakhir/latest #${last.seq} ${last.at}`
    : 'tanpa checkpoint / no checkpoints';
  const unkeyed = report.unkeyedEvents
    ? `; ${report.unkeyedEvents} peristiwa tanpa MAC (sebelum bukti berkunci) / unkeyed events (before keyed evidence)`
    : '';
  const summary = `${report.streamsChecked} streams, ${report.eventsChecked} events; ${macs}; ${sealed}${unkeyed}`;
  if (!report.broken.length && !evidence.length) return `UTUH / INTACT: ${summary}`;
  const lines = [`RUSAK / BROKEN: ${report.broken.length} stream(s); ${summary}`];
  for (const b of report.broken) {
    lines.push(`  stream ${b.streamId}:`);
    for (const p of b.problems) {
      const label = TAMPER_LABELS[p.kind];
      lines.push(
        `    [${p.kind}] ${label.id} / ${label.en}${p.streamVersion ? `, versi/version ${p.streamVersion}` : ''}: ${p.detail}`,
      );
    }
  }
  for (const e of evidence) lines.push(`  bukti/evidence: ${e}`);
  return lines.join('\n');
}
