import { HouseholdProfile } from '../programs/program-rules';
import { Decider, reject, Rejection } from '../shared/decider';
import { PmtResult } from '../eligibility/pmt';
import { Member } from '../registration/application';
import { DeactivationReason, HouseholdEstablishedData, HouseholdEvent } from './events';

export interface HouseholdState {
  readonly exists: boolean;
  readonly active: boolean;
  readonly deactivationReason?: DeactivationReason;
  /** The status-change case that deactivated the household (a batch reversal may undo it). */
  readonly deactivatedBy?: string;
  readonly established?: HouseholdEstablishedData;
  readonly villageCode?: string;
  readonly desil?: number;
  readonly classification?: string;
  readonly members: ReadonlyArray<Member & { readonly deceased?: boolean; readonly diedBy?: string }>;
}

export type HouseholdCommand =
  | { type: 'establishHousehold'; data: HouseholdEstablishedData }
  | { type: 'recordDeath'; memberIndex: number; diedOn: string; changeCaseId: string }
  | { type: 'recordBirth'; member: Member; changeCaseId: string }
  | { type: 'recordMove'; toVillageCode: string; address: string; changeCaseId: string }
  | { type: 'deactivate'; reason: DeactivationReason; changeCaseId: string }
  | { type: 'recordReverification'; changeCaseId: string }
  | { type: 'correctMember'; memberIndex: number; corrections: Partial<Member>; changeCaseId: string }
  | { type: 'rerank'; result: PmtResult; changeCaseId: string }
  | { type: 'compensate'; changeCaseId: string; revertedBatchId: string };

const initialState = (): HouseholdState => ({ exists: false, active: false, members: [] });

function evolve(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  switch (event.type) {
    case 'HouseholdEstablished':
      return {
        exists: true,
        active: true,
        established: event.data,
        villageCode: event.data.villageCode,
        desil: event.data.desil,
        classification: event.data.classification,
        members: event.data.members,
      };
    case 'MemberDied':
      return {
        ...state,
        members: state.members.map((m, i) =>
          i === event.data.memberIndex ? { ...m, deceased: true, diedBy: event.data.changeCaseId } : m,
        ),
      };
    case 'MemberBorn':
      return { ...state, members: [...state.members, event.data.member] };
    case 'HouseholdMoved':
      return { ...state, villageCode: event.data.toVillageCode };
    case 'HouseholdDeactivated':
      return { ...state, active: false, deactivationReason: event.data.reason, deactivatedBy: event.data.changeCaseId };
    case 'MemberDeathRetracted':
      return {
        ...state,
        members: state.members.map((m, i) => (i === event.data.memberIndex ? { ...m, deceased: false, diedBy: undefined } : m)),
      };
    case 'HouseholdReinstated':
      return { ...state, active: true, deactivationReason: undefined, deactivatedBy: undefined };
    case 'HouseholdReverified':
      return state;
    case 'MemberCorrected':
      return {
        ...state,
        members: state.members.map((m, i) => (i === event.data.memberIndex ? { ...m, ...event.data.corrections } : m)),
      };
    case 'HouseholdReranked':
      return { ...state, desil: event.data.desil, classification: event.data.classification };
  }
}

const inactive = (): Rejection =>
  reject('conflict', 'HOUSEHOLD_INACTIVE', { id: 'Rumah tangga sudah tidak aktif', en: 'The household is no longer active' });

/** The registry entry: established once; then members are born and die, it moves, it leaves. */
function decide(command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] | Rejection {
  if (command.type === 'establishHousehold') {
    if (state.exists)
      return reject('conflict', 'HOUSEHOLD_EXISTS', {
        id: 'Rumah tangga sudah ditetapkan',
        en: 'The household is already established',
      });
    return [{ type: 'HouseholdEstablished', data: command.data }];
  }
  if (!state.exists)
    return reject('not_found', 'HOUSEHOLD_NOT_FOUND', { id: 'Rumah tangga tidak ditemukan', en: 'Household not found' });
  if (command.type === 'compensate') return compensate(command, state);
  if (!state.active) return inactive();
  switch (command.type) {
    case 'recordDeath': {
      const member = state.members[command.memberIndex];
      if (!member) return reject('rule', 'MEMBER_INDEX', { id: 'Anggota keluarga tidak ada', en: 'No such household member' });
      if (member.deceased)
        return reject('conflict', 'ALREADY_DECEASED', {
          id: 'Anggota sudah tercatat meninggal',
          en: 'The member is already recorded as deceased',
        });
      const died: HouseholdEvent = {
        type: 'MemberDied',
        data: { memberIndex: command.memberIndex, diedOn: command.diedOn, changeCaseId: command.changeCaseId },
      };
      const lastAlive = state.members.filter((m) => !m.deceased).length === 1;
      return lastAlive
        ? [died, { type: 'HouseholdDeactivated', data: { reason: 'MENINGGAL', changeCaseId: command.changeCaseId } }]
        : [died];
    }
    case 'recordBirth':
      return [{ type: 'MemberBorn', data: { member: command.member, changeCaseId: command.changeCaseId } }];
    case 'recordMove':
      if (command.toVillageCode === state.villageCode)
        return reject('rule', 'SAME_VILLAGE', {
          id: 'Desa tujuan sama dengan desa asal',
          en: 'The new village is the current one',
        });
      return [
        {
          type: 'HouseholdMoved',
          data: {
            fromVillageCode: state.villageCode!,
            toVillageCode: command.toVillageCode,
            address: command.address,
            changeCaseId: command.changeCaseId,
          },
        },
      ];
    case 'deactivate':
      return [{ type: 'HouseholdDeactivated', data: { reason: command.reason, changeCaseId: command.changeCaseId } }];
    case 'recordReverification':
      return [{ type: 'HouseholdReverified', data: { changeCaseId: command.changeCaseId } }];
    case 'correctMember': {
      if (!state.members[command.memberIndex])
        return reject('rule', 'MEMBER_INDEX', { id: 'Anggota keluarga tidak ada', en: 'No such household member' });
      if (Object.keys(command.corrections).length === 0)
        return reject('rule', 'NOTHING_TO_CORRECT', { id: 'Tidak ada data yang diperbaiki', en: 'Nothing to correct' });
      return [
        {
          type: 'MemberCorrected',
          data: { memberIndex: command.memberIndex, corrections: command.corrections, changeCaseId: command.changeCaseId },
        },
      ];
    }
    case 'rerank': {
      const { desil, classification, score, modelVersion } = command.result;
      return [
        {
          type: 'HouseholdReranked',
          data: { desil, classification, score, pmtVersion: modelVersion, changeCaseId: command.changeCaseId },
        },
      ];
    }
  }
}

/**
 * Undoes what one status-change case did, with new events: a recorded death is retracted, a
 * deactivation lifted. Only while nothing later has superseded it (the household re-activated, the
 * member's record changed by another case): otherwise a person must look at it.
 */
function compensate(
  command: Extract<HouseholdCommand, { type: 'compensate' }>,
  state: HouseholdState,
): HouseholdEvent[] | Rejection {
  const { changeCaseId, revertedBatchId } = command;
  const events: HouseholdEvent[] = [];
  state.members.forEach((m, memberIndex) => {
    if (m.diedBy === changeCaseId)
      events.push({ type: 'MemberDeathRetracted', data: { memberIndex, changeCaseId, revertedBatchId } });
  });
  if (!state.active && state.deactivatedBy === changeCaseId)
    events.push({ type: 'HouseholdReinstated', data: { changeCaseId, revertedBatchId } });
  if (events.length === 0)
    return reject('conflict', 'NOT_COMPENSABLE', {
      id: 'Perubahan ini tidak dapat dibatalkan otomatis (sudah ada perubahan lain); periksa secara manual',
      en: 'This change cannot be undone automatically (later changes supersede it); review it by hand',
    });
  return events;
}

/** What the program rules look at. */
export function householdProfile(householdId: string, state: HouseholdState): HouseholdProfile {
  const e = state.established!;
  return {
    householdId,
    villageCode: state.villageCode!,
    active: state.active,
    desil: state.desil!,
    classification: state.classification!,
    establishedOn: e.establishedOn,
    members: state.members,
  };
}

export const householdDecider: Decider<HouseholdCommand, HouseholdEvent, HouseholdState> = { decide, evolve, initialState };
