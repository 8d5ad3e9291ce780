import fc from 'fast-check';
import { byPriority, enrolmentDecider, Entry } from '../../src/programs/enrolment/decider';
import { EnrolmentEvent } from '../../src/programs/enrolment/events';
import { isRejection } from '../../src/shared/decider';
import { specFor } from '../support/decider-spec';
import { actor } from '../registration/fixtures';

const spec = specFor(enrolmentDecider);
const kemensos = actor('kemensos');
const hh = (n: number, desil = 1, establishedOn = '2026-01-01'): Entry => ({ householdId: `h${n}`, desil, establishedOn });
const quota = (q: number): EnrolmentEvent => ({
  type: 'QuotaSet',
  data: { program: 'PKH', regencyCode: '32.04', period: '2026-Q4', quota: q },
});
const enrolled = (e: Entry): EnrolmentEvent => ({
  type: 'HouseholdEnrolled',
  data: { ...e, ruleVersion: '2026.1', cause: 'c', quota: 2, enrolledCount: 1, promotedFromWaitlist: false },
});
const waitlisted = (e: Entry, rank = 1): EnrolmentEvent => ({
  type: 'HouseholdWaitlisted',
  data: { ...e, ruleVersion: '2026.1', cause: 'c', quota: 2, rank },
});
const evaluate = (e: Entry, eligible = true, cause = 'ev-1') => ({
  type: 'evaluate' as const,
  household: e,
  eligible,
  reasons: eligible ? [] : ['DESIL_TOO_HIGH'],
  ruleVersion: '2026.1',
  cause,
});

describe('enrolment decider: a program list for one regency and period', () => {
  it('enrols an eligible household while places are free, naming the rule version, quota and cause', () => {
    spec
      .given([quota(2)])
      .when(evaluate(hh(1)))
      .then([
        {
          type: 'HouseholdEnrolled',
          data: expect.objectContaining({ householdId: 'h1', ruleVersion: '2026.1', quota: 2, enrolledCount: 1, cause: 'ev-1' }),
        },
      ]);
  });

  it('waitlists beyond the quota with a rank: lowest desil first, then earliest establishment', () => {
    const given = [quota(1), enrolled(hh(1)), waitlisted(hh(2, 3, '2026-01-01')), waitlisted(hh(3, 2, '2026-03-01'), 1)];
    spec
      .given(given)
      .when(evaluate(hh(4, 2, '2026-04-01')))
      .then([{ type: 'HouseholdWaitlisted', data: expect.objectContaining({ householdId: 'h4', rank: 2 }) }]);
    spec
      .given(given)
      .when(evaluate(hh(5, 2, '2026-02-01')))
      .then([{ type: 'HouseholdWaitlisted', data: expect.objectContaining({ householdId: 'h5', rank: 1 }) }]);
  });

  it('without a quota yet, an eligible household waits', () => {
    spec
      .given([])
      .when(evaluate(hh(1)))
      .then([{ type: 'HouseholdWaitlisted', data: expect.objectContaining({ quota: 0, rank: 1 }) }]);
  });

  it('an enrolled household that is no longer eligible exits, and the first on the waitlist takes its place', () => {
    const given = [quota(1), enrolled(hh(1)), waitlisted(hh(2, 2)), waitlisted(hh(3, 1))];
    spec
      .given(given)
      .when(evaluate(hh(1), false, 'death-1'))
      .then([
        {
          type: 'HouseholdExited',
          data: { householdId: 'h1', cause: 'death-1', ruleVersion: '2026.1', reasons: ['DESIL_TOO_HIGH'] },
        },
        {
          type: 'HouseholdEnrolled',
          data: expect.objectContaining({ householdId: 'h3', promotedFromWaitlist: true, cause: 'death-1' }),
        },
      ]);
  });

  it('a waitlisted household that is no longer eligible leaves the waitlist', () => {
    spec
      .given([quota(0), waitlisted(hh(1))])
      .when(evaluate(hh(1), false))
      .then([{ type: 'HouseholdLeftWaitlist' }]);
  });

  it('evaluating again changes nothing (idempotent)', () => {
    spec
      .given([quota(2), enrolled(hh(1))])
      .when(evaluate(hh(1)))
      .then([]);
    spec
      .given([quota(0), waitlisted(hh(1))])
      .when(evaluate(hh(1)))
      .then([]);
    spec
      .given([quota(2)])
      .when(evaluate(hh(1), false))
      .then([]);
  });

  it('raising the quota enrols from the waitlist; lowering it removes no one', () => {
    spec
      .given([quota(0), waitlisted(hh(1)), waitlisted(hh(2))])
      .when({ type: 'setQuota', program: 'PKH', regencyCode: '32.04', period: '2026-Q4', quota: 1, actor: kemensos })
      .then([
        { type: 'QuotaSet', data: expect.objectContaining({ quota: 1, previous: 0 }) },
        { type: 'HouseholdEnrolled', data: expect.objectContaining({ householdId: 'h1', promotedFromWaitlist: true }) },
      ]);
    spec
      .given([quota(2), enrolled(hh(1)), enrolled(hh(2))])
      .when({ type: 'setQuota', program: 'PKH', regencyCode: '32.04', period: '2026-Q4', quota: 1, actor: kemensos })
      .then([{ type: 'QuotaSet' }]);
  });

  it('reverting a quota change restores the quota before it and puts those it promoted back on the waitlist, by rank', () => {
    const promoted = (e: Entry): EnrolmentEvent => ({
      type: 'HouseholdEnrolled',
      data: { ...e, ruleVersion: 'quota', cause: 'QUOTA_RAISED', quota: 2, enrolledCount: 2, promotedFromWaitlist: true },
    });
    spec
      .given([quota(1), enrolled(hh(1)), waitlisted(hh(3, 4)), quota(2), promoted(hh(2, 2))])
      .when({ type: 'revertQuota', quotaBefore: 1, promoted: ['h2', 'h9'], revertedBatchId: 'b-1' })
      .then([
        { type: 'QuotaSet', data: expect.objectContaining({ quota: 1, previous: 2, revertedBatchId: 'b-1' }) },
        { type: 'HouseholdExited', data: { householdId: 'h2', cause: 'b-1', ruleVersion: 'quota', reasons: ['BATCH_REVERTED'] } },
        { type: 'HouseholdWaitlisted', data: expect.objectContaining({ householdId: 'h2', rank: 1, quota: 1 }) },
      ]);
    const approved: EnrolmentEvent = { type: 'RecipientListApproved', data: { period: '2026-Q4', enrolledCount: 2 } };
    spec
      .given([quota(2), promoted(hh(2)), approved])
      .when({ type: 'revertQuota', quotaBefore: 1, promoted: ['h2'], revertedBatchId: 'b-1' })
      .thenRejects('PERIOD_LIST_APPROVED', 'conflict');
  });

  it('refuses a negative or fractional quota', () => {
    spec
      .given([])
      .when({ type: 'setQuota', program: 'PKH', regencyCode: '32.04', period: '2026-Q4', quota: -1, actor: kemensos })
      .thenRejects('QUOTA_INVALID', 'rule');
  });

  it('an approved period list is frozen: later changes are refused (they go to the next period)', () => {
    const approved: EnrolmentEvent = { type: 'RecipientListApproved', data: { period: '2026-Q4', enrolledCount: 1 } };
    spec
      .given([quota(2), enrolled(hh(1)), approved])
      .when(evaluate(hh(1), false))
      .thenRejects('PERIOD_LIST_APPROVED', 'conflict');
    spec
      .given([quota(2), approved])
      .when(evaluate(hh(2)))
      .thenRejects('PERIOD_LIST_APPROVED');
  });
});

describe('enrolment invariants over random sequences (fast-check)', () => {
  const command = fc.oneof(
    fc.record({ kind: fc.constant('quota' as const), quota: fc.nat(6) }),
    fc.record({
      kind: fc.constant('evaluate' as const),
      n: fc.nat(12),
      desil: fc.integer({ min: 1, max: 10 }),
      eligible: fc.boolean(),
    }),
  );

  it('the quota is never exceeded, an exited household holds no place, and the waitlist stays in priority order', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 120 }), (run) => {
        let state = enrolmentDecider.initialState();
        let quotaNow = 0;
        for (const [i, c] of run.entries()) {
          const cmd =
            c.kind === 'quota'
              ? {
                  type: 'setQuota' as const,
                  program: 'PKH',
                  regencyCode: '32.04',
                  period: '2026-Q4',
                  quota: c.quota,
                  actor: kemensos,
                }
              : evaluate(hh(c.n, c.desil), c.eligible, `e${i}`);
          const events = enrolmentDecider.decide(cmd, state);
          if (isRejection(events)) continue;
          const enrolledBefore = state.enrolled.size;
          state = events.reduce(enrolmentDecider.evolve, state);
          if (c.kind === 'quota') quotaNow = c.quota;
          const newEntries = events.filter((e) => e.type === 'HouseholdEnrolled').length;
          if (newEntries > 0) expect(state.enrolled.size).toBeLessThanOrEqual(quotaNow);
          expect(state.enrolled.size).toBeLessThanOrEqual(Math.max(quotaNow, enrolledBefore));
          for (const e of events.filter((x) => x.type === 'HouseholdExited'))
            expect(state.enrolled.has((e.data as { householdId: string }).householdId)).toBe(false);
          expect([...state.waitlist].sort(byPriority)).toEqual(state.waitlist);
          for (const w of state.waitlist) expect(state.enrolled.has(w.householdId)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
