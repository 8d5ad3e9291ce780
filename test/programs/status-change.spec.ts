import { householdDecider } from '../../src/household/decider';
import { HouseholdEvent } from '../../src/household/events';
import { householdCommandFor, statusChangeDecider, StatusChangeEvent } from '../../src/status-changes/status-change';
import { specFor } from '../support/decider-spec';
import { actor, application, EVIDENCE, OTHER_VILLAGE } from '../registration/fixtures';

const household = specFor(householdDecider);
const change = specFor(statusChangeDecider);
const app = application();
const established: HouseholdEvent = {
  type: 'HouseholdEstablished',
  data: {
    householdId: 'h1',
    registrationCaseId: 'c1',
    registrationNumber: 'R',
    kkNumber: app.kkNumber,
    villageCode: app.villageCode,
    address: app.address,
    members: app.members,
    desil: 1,
    classification: 'SANGAT_MISKIN',
    pmtVersion: '2026.1',
    status: 'AKTIF',
    establishedOn: '2026-01-01',
  },
};
const requested: StatusChangeEvent = {
  type: 'StatusChangeRequested',
  data: {
    caseId: 's1',
    householdId: 'h1',
    villageCode: app.villageCode,
    details: { kind: 'MENINGGAL', memberIndex: 0, diedOn: '2026-11-01' },
    source: { type: 'PETUGAS' },
  },
};
const at = '2026-11-24T00:00:00Z';

describe('household decider: life in the registry', () => {
  it('a death is recorded on the member; the last living member’s death deactivates the household', () => {
    household
      .given([established])
      .when({ type: 'recordDeath', memberIndex: 0, diedOn: '2026-11-01', changeCaseId: 's1' })
      .then([{ type: 'MemberDied' }]);
    const lastTwoDied: HouseholdEvent[] = [
      established,
      { type: 'MemberDied', data: { memberIndex: 0, diedOn: 'x', changeCaseId: 's' } },
      { type: 'MemberDied', data: { memberIndex: 1, diedOn: 'x', changeCaseId: 's' } },
    ];
    household
      .given(lastTwoDied)
      .when({ type: 'recordDeath', memberIndex: 2, diedOn: '2026-11-01', changeCaseId: 's2' })
      .then([{ type: 'MemberDied' }, { type: 'HouseholdDeactivated', data: { reason: 'MENINGGAL', changeCaseId: 's2' } }]);
  });

  it('refuses a second death of one member, an unknown member, a move to the same village, and any change once inactive', () => {
    const died: HouseholdEvent = { type: 'MemberDied', data: { memberIndex: 0, diedOn: 'x', changeCaseId: 's' } };
    household
      .given([established, died])
      .when({ type: 'recordDeath', memberIndex: 0, diedOn: 'x', changeCaseId: 's2' })
      .thenRejects('ALREADY_DECEASED');
    household
      .given([established])
      .when({ type: 'recordDeath', memberIndex: 9, diedOn: 'x', changeCaseId: 's2' })
      .thenRejects('MEMBER_INDEX');
    household
      .given([established])
      .when({ type: 'recordMove', toVillageCode: app.villageCode, address: 'x', changeCaseId: 's2' })
      .thenRejects('SAME_VILLAGE');
    const left: HouseholdEvent = { type: 'HouseholdDeactivated', data: { reason: 'GRADUASI', changeCaseId: 's' } };
    household
      .given([established, left])
      .when({ type: 'recordBirth', member: app.members[2], changeCaseId: 's2' })
      .thenRejects('HOUSEHOLD_INACTIVE', 'conflict');
  });

  it('a data correction changes the named fields of one member; an empty or unknown one is refused', () => {
    const state = household
      .given([established])
      .when({
        type: 'correctMember',
        memberIndex: 1,
        corrections: { fullName: 'Siti Aminah Putri', pregnant: true },
        changeCaseId: 's',
      })
      .thenState();
    expect(state.members[1]).toMatchObject({ fullName: 'Siti Aminah Putri', pregnant: true, nik: app.members[1].nik });
    household
      .given([established])
      .when({ type: 'correctMember', memberIndex: 1, corrections: {}, changeCaseId: 's' })
      .thenRejects('NOTHING_TO_CORRECT');
    household
      .given([established])
      .when({ type: 'correctMember', memberIndex: 7, corrections: { sex: 'L' }, changeCaseId: 's' })
      .thenRejects('MEMBER_INDEX');
    expect(householdCommandFor('s1', { kind: 'PERBAIKAN_DATA', memberIndex: 0, corrections: { sex: 'L' } })).toEqual({
      type: 'correctMember',
      memberIndex: 0,
      corrections: { sex: 'L' },
      changeCaseId: 's1',
    });
  });

  it('a reverted batch is compensated: a death it recorded is retracted, a deactivation it caused lifted; nothing else', () => {
    const compensate = { type: 'compensate' as const, changeCaseId: 's2', revertedBatchId: 'b-1' };
    const lastTwoDied: HouseholdEvent[] = [
      established,
      { type: 'MemberDied', data: { memberIndex: 0, diedOn: 'x', changeCaseId: 's' } },
      { type: 'MemberDied', data: { memberIndex: 1, diedOn: 'x', changeCaseId: 's' } },
      { type: 'MemberDied', data: { memberIndex: 2, diedOn: 'x', changeCaseId: 's2' } },
      { type: 'HouseholdDeactivated', data: { reason: 'MENINGGAL', changeCaseId: 's2' } },
    ];
    household
      .given(lastTwoDied)
      .when(compensate)
      .then([
        { type: 'MemberDeathRetracted', data: { memberIndex: 2, changeCaseId: 's2', revertedBatchId: 'b-1' } },
        { type: 'HouseholdReinstated', data: { changeCaseId: 's2', revertedBatchId: 'b-1' } },
      ]);
    const state = household.given(lastTwoDied).when(compensate).thenState();
    expect(state.active).toBe(true);
    expect(state.members.map((m) => Boolean(m.deceased))).toEqual([true, true, false]);
    household
      .given([established, { type: 'HouseholdDeactivated', data: { reason: 'SUDAH_MAMPU', changeCaseId: 's2' } }])
      .when(compensate)
      .then([{ type: 'HouseholdReinstated' }]);
    household
      .given([established, { type: 'MemberBorn', data: { member: app.members[0], changeCaseId: 's2' } }])
      .when(compensate)
      .thenRejects('NOT_COMPENSABLE', 'conflict');
  });

  it('a move changes the region the household belongs to', () => {
    const state = household
      .given([established])
      .when({ type: 'recordMove', toVillageCode: OTHER_VILLAGE, address: 'Jl. Baru', changeCaseId: 's' })
      .thenState();
    expect(state.villageCode).toBe(OTHER_VILLAGE);
  });
});

describe('status-change case: requested by field staff, decided by dinsos with reason and evidence', () => {
  it('a village operator requests with a reason; dinsos approves with evidence', () => {
    change
      .given([])
      .when({
        type: 'request',
        caseId: 's1',
        householdId: 'h1',
        villageCode: app.villageCode,
        details: { kind: 'SUDAH_MAMPU' },
        source: { type: 'PETUGAS' },
        actor: actor('operator_desa'),
        at,
        reason: 'Usaha berkembang',
      })
      .then([{ type: 'StatusChangeRequested' }]);
    change
      .given([requested])
      .when({ type: 'approve', actor: actor('dinsos'), at, reason: 'Akta kematian', evidence: EVIDENCE })
      .then([{ type: 'StatusChangeApproved', data: { decidedBy: 'dinsos-1' } }]);
  });

  it('refuses: approval without evidence, a decision by the operator, a second decision, a stranger', () => {
    change
      .given([requested])
      .when({ type: 'approve', actor: actor('dinsos'), at, reason: 'ok' })
      .thenRejects('EVIDENCE_REQUIRED');
    change
      .given([requested])
      .when({ type: 'approve', actor: actor('operator_desa'), at, reason: 'ok', evidence: EVIDENCE })
      .thenRejects('ROLE_NOT_ALLOWED');
    change
      .given([requested, { type: 'StatusChangeRejected', data: { decidedBy: 'd' } }])
      .when({ type: 'approve', actor: actor('dinsos'), at, reason: 'ok', evidence: EVIDENCE })
      .thenRejects('TRANSITION_NOT_ALLOWED');
    change
      .given([requested])
      .when({ type: 'reject', actor: actor('dinsos', 'd9', '32.73'), at, reason: 'no' })
      .thenRejects('OUTSIDE_REGION');
  });

  it('a batch reversal withdraws an open case and reverts a decided one (national roles, with a reason)', () => {
    const approved: StatusChangeEvent = { type: 'StatusChangeApproved', data: { decidedBy: 'd' } };
    change
      .given([requested])
      .when({ type: 'withdraw', revertedBatchId: 'b-1', actor: actor('admin'), at, reason: 'Berkas keliru' })
      .then([{ type: 'StatusChangeWithdrawn', data: { withdrawnBy: 'admin-1', revertedBatchId: 'b-1' } }]);
    change
      .given([requested, approved])
      .when({ type: 'revert', revertedBatchId: 'b-1', actor: actor('kemensos'), at, reason: 'Berkas keliru' })
      .then([{ type: 'StatusChangeReverted', data: { revertedBy: 'kemensos-1', revertedBatchId: 'b-1' } }]);
    change
      .given([requested, approved])
      .when({ type: 'revert', revertedBatchId: 'b-1', actor: actor('dinsos'), at, reason: 'x' })
      .thenRejects('ROLE_NOT_ALLOWED');
    change
      .given([requested])
      .when({ type: 'revert', revertedBatchId: 'b-1', actor: actor('admin'), at, reason: 'x' })
      .thenRejects('TRANSITION_NOT_ALLOWED');
  });

  it('each kind carries out the household change it names', () => {
    expect(householdCommandFor('s1', { kind: 'MENINGGAL', memberIndex: 1, diedOn: 'd' })).toEqual({
      type: 'recordDeath',
      memberIndex: 1,
      diedOn: 'd',
      changeCaseId: 's1',
    });
    expect(householdCommandFor('s1', { kind: 'GRADUASI' })).toEqual({
      type: 'deactivate',
      reason: 'GRADUASI',
      changeCaseId: 's1',
    });
    expect(householdCommandFor('s1', { kind: 'PINDAH', toVillageCode: OTHER_VILLAGE, address: 'a' })).toMatchObject({
      type: 'recordMove',
      toVillageCode: OTHER_VILLAGE,
    });
  });
});
