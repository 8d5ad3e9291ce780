import type { Faker } from '@faker-js/faker';
import { ROLE_REGION_LEVEL, Principal } from '../auth/roles';
import { NewEvent } from '../event-store/envelope';
import { StreamAppend } from '../event-store/port';
import { commandMetadata } from '../event-store/load-state';
import { PmtModel } from '../eligibility/pmt';
import { RegistrationCommand } from '../registration/commands';
import * as registration from '../registration/decider';
import { missingDocuments } from '../registration/documents';
import { claimChanges } from '../registration/nik-claims';
import { caseStreamId, establishedHouseholdEvents, householdStreamId } from '../registration/registration-cases.service';
import { newRegistrationNumber } from '../registration/registration-number';
import { RegistrationEvent } from '../registration/events';
import { ruleVersionsOf } from '../registration/rule-versions';
import { rolesFor, transitionsFor, VervalAction } from '../registration/verval-state-machine';
import { isRejection } from '../shared/decider';
import { applicationOf, SyntheticHousehold } from './population';

export interface SyntheticContext {
  readonly model: PmtModel;
  readonly districtExists: (code: string) => boolean;
  readonly villageExists: (code: string) => boolean;
  /** The NIK claim stream of a NIK (a keyed hash: see NikClaims). */
  readonly claimStreamId: (nik: string) => string;
  /** Seeded, for the registration number and document hashes. */
  readonly faker: Faker;
}

export interface SyntheticRegistration {
  readonly appends: StreamAppend[];
  /** Where the case ended: ditetapkan (a household), TIDAK_LAYAK, or still open at a stage. */
  readonly status: string;
  readonly events: number;
}

const DAY_MS = 86_400_000;

/**
 * One synthetic household's way into the registry, decided by the real verval decider step by
 * step as its users would take it (operator, social worker, social office, the approval chain):
 * the case's events, its NIK claims and, when established, the household's first events. Every
 * stream is new, so each append expects no stream; a second run of one seed is refused whole.
 */
export function syntheticRegistration(h: SyntheticHousehold, ctx: SyntheticContext): SyntheticRegistration {
  const caseStream = caseStreamId(h.caseId);
  const claimed = new Map<string, Array<{ type: string; data: unknown }>>();
  const caseEvents: NewEvent[] = [];
  const householdEvents: NewEvent[] = [];
  let state = registration.initialState();
  let day = 0;

  const step = (action: VervalAction, fields: object): boolean => {
    const at = new Date(Date.parse(h.registeredAt) + day * DAY_MS).toISOString();
    const actor = actorFor(action, h.villageCode);
    const command = { type: action, ...fields, ...justification(action, ctx.faker), actor, at } as RegistrationCommand;
    const decided = registration.decide(command, state);
    if (isRejection(decided)) return false;
    const next = decided.reduce(registration.evolve, state);
    const base = commandMetadata({ actor });
    // As the command handler writes them: each event with its rule versions, the claims with the first's.
    const metadata = (e?: RegistrationEvent) => ({ ...base, ruleVersions: ruleVersionsOf(e) });
    caseEvents.push(...decided.map((e) => ({ type: e.type, data: e.data, metadata: metadata(e) })));
    const established = decided.find((e) => e.type === 'RegistrationEstablished');
    const handOver = established ? householdStreamId(established.data.householdId) : undefined;
    for (const [nik, events] of claimChanges(caseStream, state.claimedNiks, next.claimedNiks, handOver)) {
      claimed.set(nik, [...(claimed.get(nik) ?? []), ...events.map((e) => ({ ...e, metadata: metadata(decided[0]) }))]);
    }
    if (established) {
      const household = establishedHouseholdEvents(h.caseId, next, established.data, at);
      if (!isRejection(household))
        householdEvents.push(...household.map((e) => ({ type: e.type, data: e.data, metadata: metadata(established) })));
    }
    state = next;
    day += 1;
    return true;
  };

  const application = applicationOf(h);
  step('saveDraft', { caseId: h.caseId, channel: 'KANTOR_DESA', application });
  for (const document of missingDocuments(application, [], h.registeredAt.slice(0, 10))) {
    for (let copy = document.kind === 'FOTO_RUMAH' ? 2 : 1; copy > 0; copy--) {
      const sha256 = ctx.faker.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' });
      step('attachDocument', {
        document: { kind: document.kind, memberIndex: document.memberIndex, sha256, mediaType: 'image/jpeg', sizeBytes: 200_000 },
      });
    }
  }
  const at = h.registeredAt;
  const population = Object.fromEntries(
    h.members.map((m) => [m.nik, { ...m, kkNumber: h.kkNumber, villageCode: h.villageCode }]),
  );
  const facts = {
    today: at.slice(0, 10),
    districtExists: ctx.districtExists,
    villageExists: ctx.villageExists,
    population,
    nikHolders: {},
  };
  const pick = (n: number) => ctx.faker.number.int(n - 1);
  const verval: Array<[VervalAction, object]> = [
    ['checkDocuments', { complete: true }],
    ['validate', { valid: true, fieldVisitRequired: true }],
    ['recordFieldVerification', { visitedOn: at.slice(0, 10), indicators: h.indicators }],
    ['assessEligibility', { model: ctx.model }],
    ['decideMusdes', { approve: true }],
    ['decideRegency', { approve: true }],
    ['decideProvince', { approve: true }],
    ['establish', { approve: true, householdId: h.householdId }],
  ];
  // A case stops where the decider stops it (e.g. not eligible), or where the household's case is today.
  if (step('submit', { registrationNumber: newRegistrationNumber(h.villageCode, at, pick), facts }))
    verval.slice(0, h.stepsTaken).every(([action, fields]) => step(action, fields));
  const appends: StreamAppend[] = [
    { streamId: caseStream, expectedVersion: 'no_stream', events: caseEvents },
    ...[...claimed].map(([nik, events]) => ({ streamId: ctx.claimStreamId(nik), expectedVersion: 'no_stream' as const, events })),
  ];
  if (householdEvents.length)
    appends.push({ streamId: householdStreamId(h.householdId), expectedVersion: 'no_stream', events: householdEvents });
  return { appends, status: state.status, events: appends.reduce((n, a) => n + a.events.length, 0) };
}

/** A synthetic staff member of the first role the state machine lets take `action`, in the household's region. */
function actorFor(action: VervalAction, villageCode: string): Principal {
  const role = rolesFor(action).find((r) => r !== 'pemohon')!;
  const level = ROLE_REGION_LEVEL[role];
  const length = { desa: 13, kecamatan: 8, kabupaten: 5, provinsi: 2, nasional: 0 }[level];
  return { userId: `sintetis:${role}`, role, region: villageCode.slice(0, length) };
}

/** A reason and a piece of evidence where the state machine asks for them. */
function justification(action: VervalAction, faker: Faker): Pick<RegistrationCommand, 'reason' | 'evidence'> {
  const needs = transitionsFor(action);
  return {
    ...(needs.some((t) => t.requiresReason) ? { reason: 'Data sintetis (generator populasi)' } : {}),
    ...(needs.some((t) => t.requiresEvidence)
      ? { evidence: [{ kind: 'document', sha256: faker.string.hexadecimal({ length: 64, casing: 'lower', prefix: '' }) }] }
      : {}),
  };
}
