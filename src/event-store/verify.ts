import { EventStore, IntegrityReport } from './port';

export interface VerificationResult {
  readonly ok: boolean;
  readonly report: IntegrityReport;
  /** One sentence in Bahasa Indonesia and English, for the CLI and the auditors' pages. */
  readonly message: string;
}

/** The tamper-evidence check auditors run: every stream's hash chain, recomputed. */
export async function verifyEventStore(
  store: EventStore,
  options: { streamIds?: readonly string[]; onProgress?: (done: number) => void } = {},
): Promise<VerificationResult> {
  const report = await store.verifyIntegrity(options);
  const broken = report.firstBroken;
  const message = broken
    ? `RUSAK / BROKEN: stream ${broken.streamId}, versi/version ${broken.streamVersion}: ${broken.reason} ` +
      `(${report.streamsChecked} streams, ${report.eventsChecked} events checked before it)`
    : `UTUH / INTACT: ${report.streamsChecked} streams, ${report.eventsChecked} events, every hash chain verified`;
  return { ok: !broken, report, message };
}
