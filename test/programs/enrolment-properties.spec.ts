import fc from 'fast-check';
import { householdDecider, householdProfile, HouseholdState } from '../../src/household/decider';
import { HouseholdEvent } from '../../src/household/events';
import { enrolmentDecider, EnrolmentState } from '../../src/programs/enrolment/decider';
import { ProgramCatalogue } from '../../src/programs/program-catalogue';
import { programEligibility } from '../../src/programs/program-rules';
import { isRejection } from '../../src/shared/decider';
import { establishedHousehold } from '../registration/fixtures';

/**
 * A household's life as random changes, each followed by the saga's evaluation for every program
 * (the way the saga runs it): whoever has died is never (re-)enrolled, and a household whose
 * members have all died holds no program.
 */
const TODAY = '2026-11-24';
const catalogue = new ProgramCatalogue();
type Change = { kind: 'death'; member: number } | { kind: 'birth' } | { kind: 'evaluate' };
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('death' as const), member: fc.nat(5) }),
  fc.constant({ kind: 'birth' as const }),
  fc.constant({ kind: 'evaluate' as const }),
);

describe('enrolment after deaths (fast-check)', () => {
  let emptied = 0;
  afterAll(() => expect(emptied).toBeGreaterThan(0)); // the property is only meaningful if runs get there

  it('a household whose members have all died is never enrolled, and exits every program', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), fc.nat(3), (changes, quota) => {
        let household: HouseholdState = householdDecider.evolve(
          householdDecider.initialState(),
          establishedHousehold('h1') as HouseholdEvent,
        );
        const lists = new Map<string, EnrolmentState>(
          catalogue.inForce(TODAY).map((r) => [
            r.code,
            enrolmentDecider.evolve(enrolmentDecider.initialState(), {
              type: 'QuotaSet',
              data: { program: r.code, regencyCode: '32.04', period: '2026-Q4', quota: quota + 1 },
            }),
          ]),
        );
        changes.forEach((c, i) => {
          const command =
            c.kind === 'death'
              ? { type: 'recordDeath' as const, memberIndex: c.member, diedOn: TODAY, changeCaseId: `s${i}` }
              : c.kind === 'birth'
                ? {
                    type: 'recordBirth' as const,
                    member: {
                      nik: '3204102011260001',
                      fullName: 'Bayi',
                      birthDate: '2026-11-20',
                      sex: 'L' as const,
                      relation: 'ANAK' as const,
                      maritalStatus: 'BELUM_KAWIN' as const,
                    },
                    changeCaseId: `s${i}`,
                  }
                : undefined;
          if (command) {
            const events = householdDecider.decide(command, household);
            if (!isRejection(events)) household = events.reduce(householdDecider.evolve, household);
          }
          const profile = householdProfile('h1', household);
          for (const rule of catalogue.inForce(TODAY)) {
            const eligibility = programEligibility(rule, profile, TODAY);
            const list = lists.get(rule.code)!;
            const events = enrolmentDecider.decide(
              {
                type: 'evaluate',
                household: { householdId: 'h1', desil: 1, establishedOn: '2026-01-01' },
                eligible: eligibility.eligible,
                reasons: [],
                ruleVersion: rule.version,
                cause: `e${i}`,
              },
              list,
            );
            if (isRejection(events)) continue;
            if (!household.active) expect(events.some((e) => e.type === 'HouseholdEnrolled')).toBe(false);
            lists.set(rule.code, events.reduce(enrolmentDecider.evolve, list));
          }
          if (!household.active) {
            emptied++;
            for (const list of lists.values()) expect(list.enrolled.has('h1')).toBe(false);
          }
        });
      }),
      // A life where everyone dies, so the property is always exercised whatever the random runs draw.
      { numRuns: 300, examples: [[[0, 1, 2, 3, 4, 5].map((member) => ({ kind: 'death' as const, member })), 1]] },
    );
  });
});
