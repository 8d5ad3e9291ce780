import { Inject, Injectable } from '@nestjs/common';
import { ruleVersionsOf } from './rule-versions';
import { randomUUID } from 'node:crypto';
import { Settings, SETTINGS } from '../config/settings.module';
import { DukcapilService } from '../dukcapil/dukcapil.service';
import { PmtModels } from '../eligibility/pmt-models';
import { DocumentStore } from '../documents/document-store';
import { EventMetadata, NewEvent } from '../event-store/envelope';
import { WrongExpectedVersionError } from '../event-store/errors';
import { EVENT_STORE, EventStore, StreamAppend } from '../event-store/port';
import { comparePositions, formatPosition, GlobalPosition } from '../event-store/position';
import { householdDecider } from '../household/decider';
import { RegionDirectory } from '../reference/region-directory';
import { isRejection } from '../shared/decider';
import { commandMetadata, loadState } from '../event-store/load-state';
import { ApiError } from '../shared/http/api-error';
import { RegistrationCommand } from './commands';
import { RegistrationState, registrationDecider } from './decider';
import { RegistrationEvent } from './events';
import { NikClaim, NikClaims } from './nik-claims';
import { newRegistrationNumber } from './registration-number';
import { CaseState } from './verval-state-machine';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as the API receives it; the service adds the time and the facts it looks up. */
export type RegistrationRequest = DistributiveOmit<
  RegistrationCommand,
  'at' | 'facts' | 'registrationNumber' | 'model' | 'householdId'
>;

export interface CommandOptions {
  /** The version the client last saw (If-Match); a mismatch is a 409 and nothing is written. */
  readonly expectedVersion?: number;
  readonly correlationId?: string;
}

export interface CommandResult {
  readonly caseId: string;
  readonly version: number;
  /** Global position of the last event written: pass it as `afterPosition` to read your write. */
  readonly position: string;
  readonly status: CaseState;
  readonly registrationNumber?: string;
  readonly householdId?: string;
}

/** The appends one command makes, and what to answer once they are written. */
export interface CasePlan {
  readonly appends: StreamAppend[];
  readonly result: Omit<CommandResult, 'position'>;
}

const MAX_ATTEMPTS = 5;

export const caseStreamId = (caseId: string): string => `registration-${caseId}`;
export const householdStreamId = (householdId: string): string => `household-${householdId}`;

/**
 * Runs registration commands: load the case by folding its stream, add the facts the decider
 * needs (population registry, NIK claims, the PMT model), decide, then append the case's events
 * together with the NIK claims and, at establishment, the new household, in one atomic write.
 */
@Injectable()
export class RegistrationCases {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly claims: NikClaims,
    private readonly dukcapil: DukcapilService,
    private readonly regions: RegionDirectory,
    private readonly documents: DocumentStore,
    private readonly pmt: PmtModels,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  load(caseId: string): Promise<{ state: RegistrationState; version: number }> {
    return loadState(this.store, registrationDecider, caseStreamId(caseId));
  }

  async execute(caseId: string, request: RegistrationRequest, options: CommandOptions = {}): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      const plan = await this.plan(caseId, request, options);
      try {
        return { ...plan.result, position: formatPosition(lastPosition(await this.store.appendMany(plan.appends))) };
      } catch (err) {
        // Someone else wrote first. Re-deciding on the fresh state is safe, unless the client pinned
        // the version of the case itself and the case is what changed (a NIK claim may always retry).
        if (!(err instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw err;
        if (options.expectedVersion !== undefined && err.streamId === caseStreamId(caseId)) throw err;
      }
    }
  }

  async plan(
    caseId: string,
    request: RegistrationRequest,
    options: CommandOptions,
    at = new Date().toISOString(),
  ): Promise<CasePlan> {
    const { state, version } = await this.load(caseId);
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new WrongExpectedVersionError(caseStreamId(caseId), options.expectedVersion, version);
    }
    const known = new Map<string, NikClaim>();
    const command = await this.complete(caseId, request, state, at, known);
    const decided = registrationDecider.decide(command, state);
    if (isRejection(decided)) throw ApiError.fromRejection(decided);
    await this.documents.assertStored(command.evidence ?? []); // after decide: strangers learn nothing
    const next = decided.reduce(registrationDecider.evolve, state);
    const metadata = this.metadataFor(command, next, options);
    const established = decided.find(
      (e): e is Extract<RegistrationEvent, { type: 'RegistrationEstablished' }> => e.type === 'RegistrationEstablished',
    );
    const appends: StreamAppend[] = [
      { streamId: caseStreamId(caseId), expectedVersion: version, events: decided.map((e) => this.withMetadata(e, metadata(e))) },
      ...(await this.claimChanges(caseId, state, next, known, metadata(decided[0]), established?.data.householdId)),
    ];
    if (established) appends.push(this.householdAppend(caseId, next, established.data, metadata(established), at));
    return {
      appends,
      result: {
        caseId,
        version: version + decided.length,
        status: next.status,
        registrationNumber: next.registrationNumber,
        householdId: next.householdId,
      },
    };
  }

  /** Adds what the command needs from outside the case: time, facts, numbers, the model. */
  private async complete(
    caseId: string,
    request: RegistrationRequest,
    state: RegistrationState,
    at: string,
    known: Map<string, NikClaim>,
  ): Promise<RegistrationCommand> {
    const today = at.slice(0, 10);
    const actor = request.actor.role === 'pemohon' ? { ...request.actor, userId: `pemohon:${caseId}` } : request.actor;
    switch (request.type) {
      case 'submit': {
        const niks = [...new Set([...(state.application?.members.map((m) => m.nik) ?? []), ...state.claimedNiks])];
        for (const [nik, claim] of await this.claims.readAll(niks)) known.set(nik, claim);
        const facts = {
          today,
          districtExists: (code: string) => this.regions.get(code)?.level === 'kecamatan',
          villageExists: (code: string) => this.regions.isVillage(code),
          population: await this.dukcapil.lookup(niks),
          nikHolders: Object.fromEntries([...known].map(([nik, c]) => [nik, c.holder])),
        };
        return {
          ...request,
          actor,
          at,
          registrationNumber: newRegistrationNumber(state.application?.villageCode ?? '', at),
          facts,
        };
      }
      case 'assessEligibility':
        return { ...request, actor, at, model: this.pmt.current(today, this.settings.config.pmtModelVersion) };
      case 'establish':
        return { ...request, actor, at, householdId: randomUUID() };
      default:
        return { ...request, actor, at } as RegistrationCommand;
    }
  }

  private async claimChanges(
    caseId: string,
    before: RegistrationState,
    after: RegistrationState,
    known: Map<string, NikClaim>,
    metadata: EventMetadata,
    householdId?: string,
  ): Promise<StreamAppend[]> {
    const changed = [
      ...before.claimedNiks.filter((n) => !after.claimedNiks.includes(n)),
      ...after.claimedNiks.filter((n) => !before.claimedNiks.includes(n)),
    ];
    for (const [nik, claim] of await this.claims.readAll(changed.filter((n) => !known.has(n)))) known.set(nik, claim);
    const handOver = householdId ? householdStreamId(householdId) : undefined;
    return this.claims.changes(known, caseStreamId(caseId), before.claimedNiks, after.claimedNiks, metadata, handOver);
  }

  private householdAppend(
    caseId: string,
    state: RegistrationState,
    established: Extract<RegistrationEvent, { type: 'RegistrationEstablished' }>['data'],
    metadata: EventMetadata,
    at: string,
  ): StreamAppend {
    const events = establishedHouseholdEvents(caseId, state, established, at);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    return {
      streamId: householdStreamId(established.householdId),
      expectedVersion: 'no_stream',
      events: events.map((e) => this.withMetadata(e, metadata)),
    };
  }

  private metadataFor(
    command: RegistrationCommand,
    next: RegistrationState,
    options: CommandOptions,
  ): (event: RegistrationEvent) => EventMetadata {
    const actor =
      command.actor.role === 'pemohon' ? { ...command.actor, region: next.application?.villageCode ?? '' } : command.actor;
    const base = commandMetadata({ ...command, actor, correlationId: options.correlationId });
    return (event) => ({ ...base, ruleVersions: ruleVersionsOf(event) });
  }

  private withMetadata(event: { type: string; data: unknown }, metadata: EventMetadata): NewEvent {
    return { type: event.type, data: event.data, metadata };
  }
}

function lastPosition(results: readonly { position: GlobalPosition }[]): GlobalPosition {
  return results.map((r) => r.position).reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));
}

/** The new household's first events, from the case that established it. */
export function establishedHouseholdEvents(
  caseId: string,
  state: RegistrationState,
  established: Extract<RegistrationEvent, { type: 'RegistrationEstablished' }>['data'],
  at: string,
): ReturnType<typeof householdDecider.decide> {
  const app = state.application!;
  return householdDecider.decide(
    {
      type: 'establishHousehold',
      data: {
        householdId: established.householdId,
        registrationCaseId: caseId,
        registrationNumber: established.registrationNumber,
        kkNumber: app.kkNumber,
        villageCode: app.villageCode,
        address: app.address,
        members: app.members,
        desil: established.desil,
        classification: established.classification,
        pmtVersion: established.pmtVersion,
        status: 'AKTIF',
        establishedOn: at.slice(0, 10),
      },
    },
    householdDecider.initialState(),
  );
}
