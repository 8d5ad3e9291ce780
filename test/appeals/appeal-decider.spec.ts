import fc from 'fast-check';
import { appealDecider, AppealEvent } from '../../src/appeals/appeal';
import { isRejection } from '../../src/shared/decider';
import { specFor } from '../support/decider-spec';
import { actor, VILLAGE } from '../registration/fixtures';

const spec = specFor(appealDecider);
const subject = { type: 'TIDAK_LAYAK' as const, registrationCaseId: 'r1' };
const file = (at: string, contestedAt = '2026-11-01T08:00:00Z', windowDays = 30) => ({
  type: 'file' as const,
  appealId: 'a1',
  subject,
  villageCode: VILLAGE,
  contestedAt,
  windowDays,
  slaDays: 14,
  actor: actor('operator_desa'),
  at,
  reason: 'Penghasilan keluarga turun',
});
const filed: AppealEvent = {
  type: 'AppealFiled',
  data: {
    appealId: 'a1',
    subject,
    villageCode: VILLAGE,
    contestedAt: '2026-11-01T08:00:00Z',
    windowDays: 30,
    filedAt: '2026-11-10T00:00:00Z',
    dueOn: '2026-11-24',
  },
};
const assigned: AppealEvent = { type: 'AppealAssigned', data: { caseworkerId: 'dinsos-1' } };

describe('appeal (banding) decider', () => {
  it('filed within the window, with an SLA due date 14 days on', () => {
    spec
      .given([])
      .when(file('2026-11-10T09:00:00Z'))
      .then([{ type: 'AppealFiled', data: expect.objectContaining({ dueOn: '2026-11-24', windowDays: 30 }) }]);
  });

  it('filed after the window closed: APPEAL_WINDOW_CLOSED', () => {
    spec.given([]).when(file('2026-12-02T00:00:00Z')).thenRejects('APPEAL_WINDOW_CLOSED', 'rule');
  });

  it('assigned to a regency caseworker, decided by that caseworker only, with a reason', () => {
    spec
      .given([filed])
      .when({ type: 'assign', caseworkerId: 'dinsos-1', actor: actor('dinsos'), at: '2026-11-11T00:00:00Z' })
      .then([{ type: 'AppealAssigned' }]);
    spec
      .given([filed, assigned])
      .when({ type: 'uphold', actor: actor('dinsos', 'dinsos-2'), at: '2026-11-12T00:00:00Z', reason: 'x' })
      .thenRejects('NOT_ASSIGNED', 'forbidden');
    spec
      .given([filed, assigned])
      .when({ type: 'dismiss', actor: actor('dinsos'), at: '2026-11-12T00:00:00Z' })
      .thenRejects('REASON_REQUIRED');
    spec
      .given([filed, assigned])
      .when({ type: 'uphold', actor: actor('dinsos'), at: '2026-11-12T00:00:00Z', reason: 'Bukti baru' })
      .then([{ type: 'AppealUpheld', data: { decidedBy: 'dinsos-1', overdue: false, subject } }]);
  });

  it('a decision after the due date is recorded as overdue', () => {
    spec
      .given([filed, assigned])
      .when({ type: 'dismiss', actor: actor('dinsos'), at: '2026-11-30T00:00:00Z', reason: 'Tidak ada bukti' })
      .then([{ type: 'AppealDismissed', data: { decidedBy: 'dinsos-1', overdue: true } }]);
  });

  it('refuses a decision before assignment, a second decision, and a stranger', () => {
    spec
      .given([filed])
      .when({ type: 'uphold', actor: actor('dinsos'), at: '2026-11-12T00:00:00Z', reason: 'x' })
      .thenRejects('TRANSITION_NOT_ALLOWED', 'conflict');
    spec
      .given([filed, assigned, { type: 'AppealDismissed', data: { decidedBy: 'dinsos-1', overdue: false } }])
      .when({ type: 'uphold', actor: actor('dinsos'), at: '2026-11-12T00:00:00Z', reason: 'x' })
      .thenRejects('TRANSITION_NOT_ALLOWED');
    spec
      .given([filed])
      .when({ type: 'assign', caseworkerId: 'x', actor: actor('dinsos', 'd9', '32.73'), at: '2026-11-11T00:00:00Z' })
      .thenRejects('OUTSIDE_REGION');
  });

  it('property: an appeal is accepted exactly when filed within its window (fast-check)', () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 120 }), (windowDays, daysLater) => {
        const contested = Date.parse('2026-06-15T10:00:00Z');
        const at = new Date(contested + daysLater * day).toISOString();
        const result = appealDecider.decide(
          file(at, new Date(contested).toISOString(), windowDays),
          appealDecider.initialState(),
        );
        expect(!isRejection(result)).toBe(daysLater <= windowDays);
      }),
      { numRuns: 300 },
    );
  });
});
