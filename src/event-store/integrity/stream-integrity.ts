import { Inject, Injectable } from '@nestjs/common';
import { BrokenStream, EVENT_STORE, EventStore } from '../port';
import { CheckpointIndex } from './checkpoint-index';

/** What a read for an auditor or a caseworker says about the streams it comes from. */
export interface StreamIntegrity {
  readonly intact: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  readonly unkeyedEvents: number;
  readonly macsChecked: boolean;
  /** The latest signed checkpoint the streams were compared with, if any. */
  readonly checkpoint?: { readonly seq: number; readonly at: string };
  readonly broken: readonly BrokenStream[];
  /** The checkpoint file's own problems (deleted, truncated, a record that does not verify). */
  readonly evidenceProblems: readonly string[];
  readonly message: { readonly id: string; readonly en: string };
}

/**
 * Checks only the streams being read: their chain, MACs and latest checkpoint (from the index
 * kept in memory), so a page pays for a few streams, never for the whole store.
 */
@Injectable()
export class StreamIntegrityChecks {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly index: CheckpointIndex,
  ) {}

  async check(streamIds: readonly string[]): Promise<StreamIntegrity> {
    const { seals, last, problems } = this.index.current();
    const report = await this.store.verifyIntegrity({ streamIds, seals });
    const intact = report.broken.length === 0;
    return {
      intact,
      streamsChecked: report.streamsChecked,
      eventsChecked: report.eventsChecked,
      unkeyedEvents: report.unkeyedEvents,
      macsChecked: report.macsChecked,
      checkpoint: last && { seq: last.seq, at: last.at },
      broken: report.broken,
      evidenceProblems: problems,
      message: intact
        ? { id: 'Bukti integritas utuh', en: 'Integrity evidence intact' }
        : {
            id: 'PERINGATAN: data ini berasal dari aliran yang gagal pemeriksaan integritas (kemungkinan diubah di basis data)',
            en: 'WARNING: this data comes from a stream that fails its integrity check (possibly altered in the database)',
          },
    };
  }
}
