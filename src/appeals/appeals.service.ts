import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/roles';
import { Settings, SETTINGS } from '../config/settings.module';
import { DocumentStore } from '../documents/document-store';
import { EvidenceRef } from '../event-store/envelope';
import { commandMetadata, loadState } from '../event-store/load-state';
import { EVENT_STORE, EventStore, StreamAppend } from '../event-store/port';
import { formatPosition } from '../event-store/position';
import { householdDecider, HouseholdState } from '../household/decider';
import { enrolmentStreamId } from '../programs/enrolment/events';
import { regencyOf } from '../programs/program-rules';
import { caseStreamId, householdStreamId, RegistrationCases } from '../registration/registration-cases.service';
import { isRejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { appealDecider, AppealState, appealStreamId, AppealSubject, Objector, ReviewKind } from './appeal';
import { DukcapilService } from '../dukcapil/dukcapil.service';
import { WrongExpectedVersionError } from '../event-store/errors';
import { derivedEventId } from '../programs/enrolments.service';
import { normaliseName } from '../registration/application';
import { StatusChanges } from '../status-changes/status-changes.service';

interface Why {
  readonly actor: Principal;
  readonly reason?: string;
  readonly evidence?: readonly EvidenceRef[];
}

export interface AppealResult {
  readonly appealId: string;
  readonly version: number;
  readonly status: AppealState['status'];
  readonly dueOn?: string;
  readonly position: string;
}

type SubjectRequest =
  | { type: 'TIDAK_LAYAK'; registrationCaseId: string }
  | { type: 'RANKING'; householdId: string }
  | { type: 'EXIT'; householdId: string; program: string; period: string };

/**
 * Appeals (banding): filed within the window after the contested decision, assigned to a regency
 * caseworker, decided within the SLA. Upholding a Tidak Layak re-opens the registration for a new
 * field visit and assessment in the same write; upholding a ranking opens a re-verification (a new
 * field visit whose indicators re-rank the household); upholding an exit makes the saga re-evaluate.
 */
@Injectable()
export class Appeals {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly registrations: RegistrationCases,
    private readonly documents: DocumentStore,
    private readonly dukcapil: DukcapilService,
    private readonly changes: StatusChanges,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  load(appealId: string, kind: ReviewKind = 'banding'): Promise<{ state: AppealState; version: number }> {
    return loadState(this.store, appealDecider, appealStreamId(appealId, kind));
  }

  /**
   * A neighbour's objection (sanggah): the objector must be in the population registry, living in
   * the recipient's village; the photo is stored by its hash; the objector is kept encrypted.
   */
  async fileObjection(
    householdId: string,
    objector: Objector,
    photo: { body: Buffer; mediaType: string },
    gps: { lat: number; lon: number },
    reason: string,
  ): Promise<AppealResult> {
    const household = await loadState(this.store, householdDecider, householdStreamId(householdId));
    if (!household.state.exists || !household.state.active) throw ApiError.notFound({ id: 'Penerima', en: 'Recipient' });
    const record = (await this.dukcapil.lookup([objector.nik]))[objector.nik];
    if (!record || normaliseName(record.fullName) !== normaliseName(objector.fullName)) {
      throw new ApiError(422, 'OBJECTOR_UNKNOWN', {
        id: 'Identitas pelapor tidak cocok dengan data Dukcapil',
        en: 'The objector does not match the population registry',
      });
    }
    if (!DocumentStore.matchesType(photo.body, photo.mediaType))
      throw new ApiError(415, 'CONTENT_MISMATCH', { id: 'Foto tidak valid', en: 'The photo is not a valid image' });
    const stored = await this.documents.store(photo.body, photo.mediaType);
    const appealId = randomUUID();
    // The citizen acts in the village the registry says they live in: the one policy then demands it be the recipient's.
    const actor = { userId: 'warga', role: 'pemohon' as const, region: record.villageCode ?? '-' };
    const subject = { type: 'SANGGAH' as const, householdId, photoSha256: stored.sha256, gps };
    const command = {
      type: 'object' as const,
      appealId,
      subject,
      villageCode: household.state.villageCode!,
      objector,
      slaDays: this.settings.config.appeals.slaDays,
      actor,
      at: new Date().toISOString(),
      reason,
    };
    return this.write(
      appealId,
      command,
      { actor, reason, evidence: [{ kind: 'document', sha256: stored.sha256, description: 'foto' }] },
      0,
      'sanggah',
    );
  }

  /** The objector of an objection, for the caseworker deciding it and no one else. */
  async objectorFor(appealId: string, principal: Principal): Promise<Objector | undefined> {
    const { state } = await this.load(appealId, 'sanggah');
    if (!state.caseworkerId || state.caseworkerId !== principal.userId) return undefined;
    const [filed] = await this.store.readStream(appealStreamId(appealId, 'sanggah'), { limit: 1 });
    return (filed.data as { objector: Objector }).objector;
  }

  async file(request: SubjectRequest, why: Why): Promise<AppealResult> {
    const { subject, villageCode, contestedAt } = await this.contested(request);
    const appealId = randomUUID();
    const { windowDays, slaDays } = this.settings.config.appeals;
    const command = {
      type: 'file' as const,
      appealId,
      subject,
      villageCode,
      contestedAt,
      windowDays,
      slaDays,
      at: new Date().toISOString(),
      ...why,
    };
    return this.write(appealId, command, why, 0);
  }

  async assign(
    appealId: string,
    caseworkerId: string,
    why: Why,
    expectedVersion?: number,
    kind: ReviewKind = 'banding',
  ): Promise<AppealResult> {
    return this.write(
      appealId,
      { type: 'assign', caseworkerId, at: new Date().toISOString(), ...why },
      why,
      expectedVersion,
      kind,
    );
  }

  async decide(
    appealId: string,
    uphold: boolean,
    why: Why,
    expectedVersion?: number,
    kind: ReviewKind = 'banding',
  ): Promise<AppealResult> {
    const result = await this.write(
      appealId,
      { type: uphold ? 'uphold' : 'dismiss', at: new Date().toISOString(), ...why },
      why,
      expectedVersion,
      kind,
    );
    if (uphold) await this.reverifyIfNeeded(appealId, kind, why);
    return result;
  }

  /**
   * An upheld objection leads to re-verification of the recipient, not to an exit; an upheld
   * ranking appeal to a new field visit. Both open a re-verification case in the village's queue.
   */
  private async reverifyIfNeeded(appealId: string, kind: ReviewKind, why: Why): Promise<void> {
    const { state } = await this.load(appealId, kind);
    const subject = state.subject!;
    if (subject.type !== 'SANGGAH' && subject.type !== 'RANKING') return;
    const trigger = subject.type === 'SANGGAH' ? 'SANGGAH' : 'BANDING';
    try {
      await this.changes.request(
        subject.householdId,
        { kind: 'VERIFIKASI_ULANG', trigger },
        trigger === 'SANGGAH' ? { type: 'SANGGAH', objectionId: appealId } : { type: 'BANDING', appealId },
        { ...why, reason: `${trigger === 'SANGGAH' ? 'Sanggah' : 'Banding peringkat'} dikabulkan: ${why.reason ?? ''}` },
        derivedEventId(kind, appealId),
      );
    } catch (err) {
      if (!(err instanceof WrongExpectedVersionError)) throw err; // opened already
    }
  }

  private async write(
    appealId: string,
    command: Parameters<typeof appealDecider.decide>[0],
    why: Why,
    expectedVersion?: number,
    kind: ReviewKind = 'banding',
  ): Promise<AppealResult> {
    const { state, version } = await this.load(appealId, kind);
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw new ApiError(409, 'VERSION_CONFLICT', { id: 'Banding telah diubah; muat ulang', en: 'The appeal changed; reload' });
    }
    const events = appealDecider.decide(command, state);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    await this.documents.assertStored(why.evidence ?? []);
    const metadata = commandMetadata(why);
    const next = events.reduce(appealDecider.evolve, state);
    const appends: StreamAppend[] = [
      { streamId: appealStreamId(appealId, kind), expectedVersion: version, events: events.map((e) => ({ ...e, metadata })) },
    ];
    if (command.type === 'uphold' && next.subject?.type === 'TIDAK_LAYAK') {
      const reopen = await this.registrations.plan(
        next.subject.registrationCaseId,
        { type: 'reopenAfterAppeal', appealId, ...why },
        { correlationId: metadata.correlationId },
      );
      appends.push(...reopen.appends);
    }
    const results = await this.store.appendMany(appends);
    return {
      appealId,
      version: results[0].streamVersion,
      status: next.status,
      dueOn: next.dueOn,
      position: formatPosition(results[results.length - 1].position),
    };
  }

  /** The decision being appealed: when it was taken (the window runs from it) and where. */
  private async contested(
    request: SubjectRequest,
  ): Promise<{ subject: AppealSubject; villageCode: string; contestedAt: string }> {
    if (request.type === 'TIDAK_LAYAK') {
      const events = await this.store.readStream(caseStreamId(request.registrationCaseId));
      const { state } = await this.registrations.load(request.registrationCaseId);
      if (state.status !== 'TIDAK_LAYAK')
        throw new ApiError(409, 'NOT_APPEALABLE', {
          id: 'Hanya hasil Tidak Layak yang dapat dibanding',
          en: 'Only a Tidak Layak result can be appealed',
        });
      const decision = [...events]
        .reverse()
        .find((e) => e.type === 'EligibilityAssessed' || e.type === 'EligibilityOverrideDecided')!;
      return { subject: request, villageCode: state.application!.villageCode, contestedAt: decision.metadata.recordedAt };
    }
    const household = await loadState(this.store, householdDecider, householdStreamId(request.householdId));
    if (!household.state.exists) throw ApiError.notFound({ id: 'Rumah tangga', en: 'Household' });
    if (request.type === 'RANKING') return this.contestedRanking(request.householdId, household.state);
    const listStreamId = enrolmentStreamId(request.program, regencyOf(household.state.villageCode!), request.period);
    const exit = (await this.store.readStream(listStreamId))
      .reverse()
      .find((e) => e.type === 'HouseholdExited' && (e.data as { householdId: string }).householdId === request.householdId);
    if (!exit)
      throw new ApiError(409, 'NOT_APPEALABLE', {
        id: 'Rumah tangga ini tidak keluar dari program pada periode itu',
        en: 'The household did not exit that program in that period',
      });
    return {
      subject: { type: 'EXIT', householdId: request.householdId, program: request.program, listStreamId },
      villageCode: household.state.villageCode!,
      contestedAt: exit.metadata.recordedAt,
    };
  }

  /** The ranking being appealed: the household's latest desil, set at establishment or re-ranking. */
  private async contestedRanking(
    householdId: string,
    household: HouseholdState,
  ): Promise<{ subject: AppealSubject; villageCode: string; contestedAt: string }> {
    if (!household.active)
      throw new ApiError(409, 'NOT_APPEALABLE', {
        id: 'Rumah tangga sudah tidak aktif; ajukan banding atas keluarnya dari program',
        en: 'The household is no longer active; appeal its exit instead',
      });
    const ranked = (await this.store.readStream(householdStreamId(householdId)))
      .reverse()
      .find((e) => e.type === 'HouseholdReranked' || e.type === 'HouseholdEstablished')!;
    return {
      subject: { type: 'RANKING', householdId, desil: household.desil! },
      villageCode: household.villageCode!,
      contestedAt: ranked.metadata.recordedAt,
    };
  }
}
