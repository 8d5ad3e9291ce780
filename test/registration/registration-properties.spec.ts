import fc from 'fast-check';
import { Role } from '../../src/auth/roles';
import { registrationDecider, RegistrationState } from '../../src/registration/decider';
import { RegistrationCommand } from '../../src/registration/commands';
import { RegistrationEvent } from '../../src/registration/events';
import { isRejection } from '../../src/shared/decider';
import { VervalAction, rolesFor, VERVAL_TRANSITIONS } from '../../src/registration/verval-state-machine';
import { actor, ALL_DOCUMENTS, application, AT, EVIDENCE, facts, MODEL, POOR, WELL_OFF } from './fixtures';

/**
 * Random command sequences over three cases whose households share members, run the way the
 * command handler runs them (duplicate facts come from the NIK claims the cases hold), then
 * checked against the invariants of verval.
 */
const base = application();
const APPLICATIONS = [
  base,
  // Shares the child with the first household: only one of the two may hold it.
  application({
    kkNumber: '3204101506180002',
    members: [
      { ...base.members[0], nik: '3204104211700004', fullName: 'Sri Wahyuni', birthDate: '1970-11-02', sex: 'P' },
      base.members[2],
    ],
  }),
  // The same household registered twice.
  application(),
  application({
    kkNumber: '3204100203190003',
    members: [{ ...base.members[0], nik: '3204101501800006', fullName: 'Hendra Gunawan', birthDate: '1980-01-15' }],
  }),
];
const CASES = APPLICATIONS.map((_, i) => `0000000${i}-0000-4000-8000-000000000000`);
const ACTIONS = [...new Set(VERVAL_TRANSITIONS.map((t) => t.action))];
const UNGUIDED_ONLY: readonly VervalAction[] = ['withdraw', 'revertBatchDecision'];
const ROLES: Role[] = ['operator_desa', 'pendamping', 'dinsos', 'verifikator_provinsi', 'kemensos', 'auditor', 'admin'];

interface Step {
  caseIndex: number;
  action: VervalAction;
  /** Take an action the current state allows (most steps), or the random one (to probe refusals). */
  guided: boolean;
  rightRole: boolean;
  otherRole: Role;
  userId: string;
  yes: boolean;
  withReason: boolean;
  withEvidence: boolean;
  pick: number;
  /** Chooses within the action (which document, which indicators) independently of `pick`. */
  detail: number;
}

const step = fc.record({
  caseIndex: fc.nat(CASES.length - 1),
  action: fc.constantFrom(...ACTIONS),
  guided: fc.nat(9).map((n) => n < 8),
  rightRole: fc.nat(9).map((n) => n < 8),
  otherRole: fc.constantFrom(...ROLES),
  userId: fc.constantFrom('u-1', 'u-2'),
  yes: fc.nat(9).map((n) => n < 8),
  withReason: fc.nat(9).map((n) => n < 8),
  withEvidence: fc.nat(9).map((n) => n < 8),
  pick: fc.nat(100),
  detail: fc.nat(100),
});

class World {
  readonly log = CASES.map(() => [] as RegistrationEvent[]);
  readonly state: RegistrationState[] = CASES.map(() => registrationDecider.initialState());
  /** NIK → household holding it (the claim streams' view after establishment). */
  readonly households = new Map<string, string>();

  holders(): Record<string, string> {
    const holders: Record<string, string> = {};
    this.state.forEach((s, i) => s.claimedNiks.forEach((nik) => (holders[nik] = `registration-${CASES[i]}`)));
    for (const [nik, household] of this.households) holders[nik] = household;
    return holders;
  }

  command(step: Step): RegistrationCommand {
    const status = this.state[step.caseIndex].status;
    // Withdrawal would end most runs early, and reverting needs a batch these runs never make: both
    // stay reachable through the unguided steps only.
    const possible = [
      ...new Set(
        VERVAL_TRANSITIONS.filter((t) => t.from.includes(status) && !UNGUIDED_ONLY.includes(t.action)).map((t) => t.action),
      ),
    ];
    const s = step.guided && possible.length > 0 ? { ...step, action: possible[step.pick % possible.length] } : step;
    const role = s.rightRole
      ? rolesFor(s.action).filter((r) => r !== 'pemohon')[s.pick % rolesFor(s.action).filter((r) => r !== 'pemohon').length]
      : s.otherRole;
    const who = actor(role, `${role}-${s.userId}`);
    const ctx = {
      actor: who,
      at: AT,
      ...(s.withReason ? { reason: 'alasan' } : {}),
      ...(s.withEvidence ? { evidence: EVIDENCE } : {}),
    };
    const app = APPLICATIONS[s.caseIndex];
    const caseId = CASES[s.caseIndex];
    const fields: Record<VervalAction, object> = {
      saveDraft: { caseId, channel: 'KANTOR_DESA', application: app },
      // Guided steps attach the documents in turn; unguided ones pick any.
      attachDocument: {
        document: ALL_DOCUMENTS[(step.guided ? this.state[s.caseIndex].documents.length : s.detail) % ALL_DOCUMENTS.length],
      },
      submit: { registrationNumber: `REG-${s.caseIndex}`, facts: facts(app, { nikHolders: this.holders() }) },
      checkDocuments: { complete: s.yes },
      resubmitDocuments: {},
      validate: { valid: s.yes, fieldVisitRequired: s.detail % 2 === 0 },
      recordFieldVerification: { visitedOn: '2026-11-20', indicators: s.detail % 3 === 0 ? WELL_OFF : POOR },
      assessEligibility: { model: MODEL },
      proposeOverride: { outcome: s.yes ? 'layak' : 'tidak_layak' },
      decideOverride: { approve: s.yes },
      decideMusdes: { approve: s.yes },
      decideRegency: { approve: s.yes },
      decideProvince: { approve: s.yes },
      establish: { approve: s.yes, householdId: `hh-${s.caseIndex}-${s.detail}` },
      withdraw: {},
      reopenAfterAppeal: { appealId: `banding-${s.detail}` },
      revertBatchDecision: { revertedBatchId: `batch-${s.detail}` },
    };
    return { type: s.action, ...ctx, ...fields[s.action] } as RegistrationCommand;
  }

  run(s: Step): void {
    const events = registrationDecider.decide(this.command(s), this.state[s.caseIndex]);
    if (isRejection(events)) return;
    this.log[s.caseIndex].push(...events);
    this.state[s.caseIndex] = events.reduce(registrationDecider.evolve, this.state[s.caseIndex]);
    for (const e of events) {
      if (e.type === 'RegistrationEstablished')
        for (const m of APPLICATIONS[s.caseIndex].members) this.households.set(m.nik, `household-${e.data.householdId}`);
    }
  }
}

/** Is `wanted` a subsequence of `events` (each found after the previous one)? */
function inOrder(events: RegistrationEvent[], wanted: Array<(e: RegistrationEvent) => boolean>): boolean {
  let i = 0;
  for (const e of events) if (i < wanted.length && wanted[i](e)) i++;
  return i === wanted.length;
}

const approved = (level: string) => (e: RegistrationEvent) =>
  e.type === 'ApprovalDecided' && e.data.level === level && e.data.approved;
const PATH = [
  (e: RegistrationEvent) => e.type === 'AutomaticChecksPassed',
  (e: RegistrationEvent) => e.type === 'DocumentsFoundComplete',
  (e: RegistrationEvent) => e.type === 'RegistrationValidated',
  (e: RegistrationEvent) => e.type === 'EligibilityAssessed',
  approved('musdes'),
  approved('kabupaten'),
  approved('provinsi'),
  (e: RegistrationEvent) => e.type === 'RegistrationEstablished',
];

describe('verval invariants over random command sequences (fast-check)', () => {
  const steps = fc.array(step, { minLength: 50, maxLength: 400 });
  let established = 0;

  afterAll(() => {
    // The properties are only meaningful if random runs do reach establishment.
    expect(established).toBeGreaterThan(0);
  });

  it('no case is established without passing each step in order, ending eligible', () => {
    fc.assert(
      fc.property(steps, (run) => {
        const world = new World();
        run.forEach((s) => world.run(s));
        world.log.forEach((events) => {
          const at = events.findIndex((e) => e.type === 'RegistrationEstablished');
          if (at < 0) return;
          established++;
          expect(inOrder(events.slice(0, at + 1), PATH)).toBe(true);
          // The last eligibility word before establishment was "layak".
          const last = events
            .slice(0, at)
            .reverse()
            .find((e) => e.type === 'EligibilityAssessed' || e.type === 'EligibilityOverrideDecided');
          const outcome =
            last?.type === 'EligibilityAssessed'
              ? last.data.result.outcome
              : last?.type === 'EligibilityOverrideDecided'
                ? last.data.outcome
                : undefined;
          expect(outcome).toBe('layak');
        });
      }),
      { numRuns: 400 },
    );
  });

  it('no NIK is held by two open cases, or by two households', () => {
    fc.assert(
      fc.property(steps, (run) => {
        const world = new World();
        for (const s of run) {
          world.run(s);
          const seen = new Map<string, string>();
          world.state.forEach((st, i) =>
            st.claimedNiks.forEach((nik) => {
              expect(seen.get(nik)).toBeUndefined();
              seen.set(nik, CASES[i]);
            }),
          );
          const householdsByNik = new Map<string, Set<string>>();
          world.log.forEach((events, i) =>
            events
              .filter((e) => e.type === 'RegistrationEstablished')
              .forEach(() =>
                APPLICATIONS[i].members.forEach((m) =>
                  householdsByNik.set(m.nik, (householdsByNik.get(m.nik) ?? new Set()).add(CASES[i])),
                ),
              ),
          );
          for (const cases of householdsByNik.values()) expect(cases.size).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every establishment records the rule version, and four-eyes where the result was overridden', () => {
    fc.assert(
      fc.property(steps, (run) => {
        const world = new World();
        run.forEach((s) => world.run(s));
        world.log.forEach((events) => {
          events.forEach((e, at) => {
            if (e.type !== 'RegistrationEstablished') return;
            expect(e.data.pmtVersion).toBe(MODEL.version);
            const lastAssessment = events
              .slice(0, at)
              .map((x) => x.type)
              .lastIndexOf('EligibilityAssessed');
            const override = events.slice(lastAssessment).find((x) => x.type === 'EligibilityOverrideDecided' && x.data.approved);
            if (override?.type === 'EligibilityOverrideDecided') {
              expect(e.data.override).toEqual({ proposedBy: override.data.proposedBy, approvedBy: override.data.decidedBy });
              expect(e.data.override!.proposedBy).not.toBe(e.data.override!.approvedBy);
            } else {
              expect(e.data.override).toBeUndefined();
            }
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});
