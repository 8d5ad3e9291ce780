import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/roles';
import { DocumentStore } from '../documents/document-store';
import { PmtModels } from '../eligibility/pmt-models';
import { Settings, SETTINGS } from '../config/settings.module';
import { EvidenceRef } from '../event-store/envelope';
import { WrongExpectedVersionError } from '../event-store/errors';
import { commandMetadata, loadState } from '../event-store/load-state';
import { EVENT_STORE, EventStore, StreamAppend } from '../event-store/port';
import { formatPosition } from '../event-store/position';
import { householdDecider } from '../household/decider';
import { appealDecider, appealStreamId } from '../appeals/appeal';
import { RegionDirectory } from '../reference/region-directory';
import { householdStreamId } from '../registration/registration-cases.service';
import { isRejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import {
  householdCommandFor,
  StatusChangeDetails,
  statusChangeDecider,
  StatusChangeSource,
  StatusChangeState,
} from './status-change';

export const statusChangeStreamId = (caseId: string): string => `statuschange-${caseId}`;

export interface StatusChangeResult {
  readonly caseId: string;
  readonly version: number;
  readonly status: StatusChangeState['status'];
  readonly position: string;
}

interface Why {
  readonly actor: Principal;
  readonly reason?: string;
  readonly evidence?: readonly EvidenceRef[];
  readonly batchId?: string;
  readonly causationId?: string;
}

/**
 * Status changes (pemutakhiran): a request opens a case; a caseworker's approval writes the
 * decision and the household's change in one atomic append, so neither exists without the other.
 */
@Injectable()
export class StatusChanges {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly regions: RegionDirectory,
    private readonly documents: DocumentStore,
    private readonly pmt: PmtModels,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  load(caseId: string): Promise<{ state: StatusChangeState; version: number }> {
    return loadState(this.store, statusChangeDecider, statusChangeStreamId(caseId));
  }

  async request(
    householdId: string,
    details: StatusChangeDetails,
    source: StatusChangeSource,
    why: Why,
    caseId: string = randomUUID(),
  ): Promise<StatusChangeResult> {
    const household = await loadState(this.store, householdDecider, householdStreamId(householdId));
    if (!household.state.exists) throw ApiError.notFound({ id: 'Rumah tangga', en: 'Household' });
    if (details.kind === 'PINDAH' && !this.regions.isVillage(details.toVillageCode)) {
      throw new ApiError(422, 'VILLAGE_UNKNOWN', {
        id: 'Kode desa tujuan tidak dikenal',
        en: 'Unknown destination village code',
      });
    }
    const command = {
      type: 'request' as const,
      caseId,
      householdId,
      villageCode: household.state.villageCode!,
      details,
      source,
      at: new Date().toISOString(),
      ...why,
    };
    const events = statusChangeDecider.decide(command, statusChangeDecider.initialState());
    if (isRejection(events)) throw ApiError.fromRejection(events);
    await this.documents.assertStored(why.evidence ?? []);
    const metadata = commandMetadata(why);
    const [result] = await this.store.appendMany([
      { streamId: statusChangeStreamId(caseId), expectedVersion: 'no_stream', events: events.map((e) => ({ ...e, metadata })) },
    ]);
    return { caseId, version: result.streamVersion, status: 'DIAJUKAN', position: formatPosition(result.position) };
  }

  async decide(caseId: string, approve: boolean, why: Why, expectedVersion?: number): Promise<StatusChangeResult> {
    const { state, version } = await this.load(caseId);
    if (expectedVersion !== undefined && expectedVersion !== version)
      throw new WrongExpectedVersionError(statusChangeStreamId(caseId), expectedVersion, version);
    const events = statusChangeDecider.decide(
      { type: approve ? 'approve' : 'reject', at: new Date().toISOString(), ...why },
      state,
    );
    if (isRejection(events)) throw ApiError.fromRejection(events);
    await this.documents.assertStored(why.evidence ?? []);
    const metadata = commandMetadata(why);
    const appends: StreamAppend[] = [
      { streamId: statusChangeStreamId(caseId), expectedVersion: version, events: events.map((e) => ({ ...e, metadata })) },
    ];
    if (approve) appends.push(await this.householdChange(state, metadata));
    const results = await this.store.appendMany(appends);
    return {
      caseId,
      version: results[0].streamVersion,
      status: approve ? 'DISETUJUI' : 'DITOLAK',
      position: formatPosition(results[results.length - 1].position),
    };
  }

  /**
   * Undoes a case because the batch behind it is reverted (compensation, never an edit): an open
   * case is withdrawn; an approved one is reverted and its household change compensated, in one
   * atomic append. Throws the refusal when the household has moved on since (a person must look).
   */
  async undo(caseId: string, revertedBatchId: string, why: Why): Promise<StatusChangeResult> {
    const { state, version } = await this.load(caseId);
    const type = state.status === 'DISETUJUI' ? 'revert' : 'withdraw';
    const events = statusChangeDecider.decide({ type, revertedBatchId, at: new Date().toISOString(), ...why }, state);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    const metadata = commandMetadata(why);
    const appends: StreamAppend[] = [
      { streamId: statusChangeStreamId(caseId), expectedVersion: version, events: events.map((e) => ({ ...e, metadata })) },
    ];
    if (type === 'revert') {
      const streamId = householdStreamId(state.householdId!);
      const household = await loadState(this.store, householdDecider, streamId);
      const compensation = householdDecider.decide(
        { type: 'compensate', changeCaseId: caseId, revertedBatchId },
        household.state,
      );
      if (isRejection(compensation)) throw ApiError.fromRejection(compensation);
      appends.push({ streamId, expectedVersion: household.version, events: compensation.map((e) => ({ ...e, metadata })) });
    }
    const results = await this.store.appendMany(appends);
    return {
      caseId,
      version: results[0].streamVersion,
      status: type === 'revert' ? 'DIBATALKAN' : 'DITARIK',
      position: formatPosition(results[results.length - 1].position),
    };
  }

  /**
   * The source of a change that follows up an upheld objection or appeal about this household
   * (an exit after an objection, a re-ranking after a ranking appeal); refused otherwise.
   */
  async followingUp(reviewId: string, householdId: string): Promise<StatusChangeSource> {
    for (const kind of ['sanggah', 'banding'] as const) {
      const { state } = await loadState(this.store, appealDecider, appealStreamId(reviewId, kind));
      if (state.status === 'NONE') continue;
      if (state.status === 'DIKABULKAN' && (state.subject as { householdId?: string }).householdId === householdId)
        return kind === 'sanggah' ? { type: 'SANGGAH', objectionId: reviewId } : { type: 'BANDING', appealId: reviewId };
    }
    throw new ApiError(422, 'REVIEW_NOT_UPHELD', {
      id: 'Sanggah/banding itu tidak ada, tidak dikabulkan, atau bukan tentang rumah tangga ini',
      en: 'That objection or appeal does not exist, was not upheld, or is not about this household',
    });
  }

  private async householdChange(state: StatusChangeState, metadata: ReturnType<typeof commandMetadata>): Promise<StreamAppend> {
    const streamId = householdStreamId(state.householdId!);
    const household = await loadState(this.store, householdDecider, streamId);
    const living = household.state.members.filter((m) => !m.deceased).length;
    const model = this.pmt.current(new Date().toISOString().slice(0, 10), this.settings.config.pmtModelVersion);
    const events = householdDecider.decide(householdCommandFor(state.caseId!, state.details!, model, living), household.state);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    return { streamId, expectedVersion: household.version, events: events.map((e) => ({ ...e, metadata })) };
  }
}
