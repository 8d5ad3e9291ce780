import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/roles';
import { Settings, SETTINGS } from '../config/settings.module';
import { DocumentStore } from '../documents/document-store';
import { EvidenceRef } from '../event-store/envelope';
import { commandMetadata, loadState } from '../event-store/load-state';
import { EVENT_STORE, EventStore, StreamAppend } from '../event-store/port';
import { formatPosition } from '../event-store/position';
import { householdDecider } from '../household/decider';
import { enrolmentStreamId } from '../programs/enrolment/events';
import { regencyOf } from '../programs/program-rules';
import { caseStreamId, householdStreamId, RegistrationCases } from '../registration/registration-cases.service';
import { isRejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { appealDecider, AppealState, AppealSubject } from './appeal';

export const appealStreamId = (appealId: string): string => `banding-${appealId}`;

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
  { type: 'TIDAK_LAYAK'; registrationCaseId: string } | { type: 'EXIT'; householdId: string; program: string; period: string };

/**
 * Appeals (banding): filed within the window after the contested decision, assigned to a regency
 * caseworker, decided within the SLA. Upholding a Tidak Layak re-opens the registration for a new
 * field visit and assessment in the same write; upholding an exit makes the saga re-evaluate.
 */
@Injectable()
export class Appeals {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly registrations: RegistrationCases,
    private readonly documents: DocumentStore,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  load(appealId: string): Promise<{ state: AppealState; version: number }> {
    return loadState(this.store, appealDecider, appealStreamId(appealId));
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

  async assign(appealId: string, caseworkerId: string, why: Why, expectedVersion?: number): Promise<AppealResult> {
    return this.write(appealId, { type: 'assign', caseworkerId, at: new Date().toISOString(), ...why }, why, expectedVersion);
  }

  async decide(appealId: string, uphold: boolean, why: Why, expectedVersion?: number): Promise<AppealResult> {
    return this.write(
      appealId,
      { type: uphold ? 'uphold' : 'dismiss', at: new Date().toISOString(), ...why },
      why,
      expectedVersion,
    );
  }

  private async write(
    appealId: string,
    command: Parameters<typeof appealDecider.decide>[0],
    why: Why,
    expectedVersion?: number,
  ): Promise<AppealResult> {
    const { state, version } = await this.load(appealId);
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw new ApiError(409, 'VERSION_CONFLICT', { id: 'Banding telah diubah; muat ulang', en: 'The appeal changed; reload' });
    }
    const events = appealDecider.decide(command, state);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    await this.documents.assertStored(why.evidence ?? []);
    const metadata = commandMetadata(why);
    const next = events.reduce(appealDecider.evolve, state);
    const appends: StreamAppend[] = [
      { streamId: appealStreamId(appealId), expectedVersion: version, events: events.map((e) => ({ ...e, metadata })) },
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
}
