import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Principal } from '../auth/roles';
import { WrongExpectedVersionError } from '../event-store/errors';
import { loadState } from '../event-store/load-state';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { householdDecider } from '../household/decider';
import { RegionDirectory } from '../reference/region-directory';
import { derivedEventId } from '../programs/enrolments.service';
import { NikClaims } from '../registration/nik-claims';
import { householdStreamId } from '../registration/registration-cases.service';
import { StatusChanges } from '../status-changes/status-changes.service';
import { parseSignals, reviewFor, SIGNAL_TYPES } from './signal-file';

export type SignalImportResult =
  | { imported: true; importId: string; rows: number; reviewsOpened: number; alreadyOpen: number; unmatched: number }
  | { imported: false; problems: Array<{ line: number; column: string; code: string }> };

/**
 * Imports a signal file: each row is matched by NIK to the household holding it; a match opens a
 * review (a status-change request from source SINYAL) that a caseworker decides. The import id is
 * the file's hash: every case it opens carries it as batch id, and importing the file again opens
 * nothing twice (the case ids derive from it). A wrong file is reverted as a batch (src/batches).
 */
@Injectable()
export class Signals {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly claims: NikClaims,
    private readonly changes: StatusChanges,
    private readonly regions: RegionDirectory,
  ) {}

  async importCsv(csv: Buffer, actor: Principal, today: string): Promise<SignalImportResult> {
    const { rows, problems } = parseSignals(csv, {
      ...this.regions.identifierContext(today),
      villageExists: (c) => this.regions.isVillage(c),
    });
    if (problems.length > 0) return { imported: false, problems };
    const importId = derivedEventId('signal-file', createHash('sha256').update(csv).digest('hex'));
    let reviewsOpened = 0;
    let alreadyOpen = 0;
    let unmatched = 0;
    for (const row of rows) {
      const holder = (await this.claims.read(row.nik)).holder;
      const householdId = holder?.startsWith('household-') ? holder.slice('household-'.length) : undefined;
      const household = householdId
        ? (await loadState(this.store, householdDecider, householdStreamId(householdId))).state
        : undefined;
      const memberIndex = household?.members.findIndex((m) => m.nik === row.nik) ?? -1;
      if (!householdId || !household?.active || memberIndex < 0) {
        unmatched++;
        continue;
      }
      const signal = SIGNAL_TYPES[row.signal];
      try {
        await this.changes.request(
          householdId,
          reviewFor(row, memberIndex),
          { type: 'SINYAL', agency: signal.agency, signalId: `${importId}:${row.line}` },
          { actor, reason: `${signal.id} (${row.observedOn})`, batchId: importId },
          derivedEventId(importId, String(row.line)),
        );
        reviewsOpened++;
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError)) throw err;
        alreadyOpen++; // this file was imported before: its review exists
      }
    }
    return { imported: true, importId, rows: rows.length, reviewsOpened, alreadyOpen, unmatched };
  }
}
