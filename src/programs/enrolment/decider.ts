import { Principal } from '../../auth/roles';
import { Decider, reject, Rejection } from '../../shared/decider';
import { EnrolmentEvent } from './events';

export interface Entry {
  readonly householdId: string;
  readonly desil: number;
  readonly establishedOn: string;
}

export interface EnrolmentState {
  readonly quota?: number;
  /** Whose quota it is, as the first QuotaSet named it. */
  readonly quotaOf?: { readonly program: string; readonly regencyCode: string; readonly period: string };
  readonly enrolled: ReadonlyMap<string, Entry>;
  /** In rank order: lowest desil first, then earliest establishment. */
  readonly waitlist: readonly Entry[];
  readonly approved: boolean;
}

export type EnrolmentCommand =
  | { type: 'setQuota'; program: string; regencyCode: string; period: string; quota: number; actor: Principal }
  | {
      type: 'evaluate';
      household: Entry;
      eligible: boolean;
      reasons: readonly string[];
      ruleVersion: string;
      cause: string;
    }
  | { type: 'approveList'; period: string; actor: Principal }
  /** Undo a quota change: the quota before it, and those it promoted back on the waitlist. */
  | { type: 'revertQuota'; quotaBefore: number; promoted: readonly string[]; revertedBatchId: string };

export const initialEnrolmentState = (): EnrolmentState => ({ enrolled: new Map(), waitlist: [], approved: false });

/** Waitlist order: lowest desil first, then earliest establishment, then id (a total order). */
export function byPriority(a: Entry, b: Entry): number {
  return a.desil - b.desil || a.establishedOn.localeCompare(b.establishedOn) || a.householdId.localeCompare(b.householdId);
}

export function evolveEnrolment(state: EnrolmentState, event: EnrolmentEvent): EnrolmentState {
  const without = (id: string) => state.waitlist.filter((e) => e.householdId !== id);
  switch (event.type) {
    case 'QuotaSet': {
      const { program, regencyCode, period } = event.data;
      return { ...state, quota: event.data.quota, quotaOf: { program, regencyCode, period } };
    }
    case 'HouseholdEnrolled': {
      const { householdId, desil, establishedOn } = event.data;
      return {
        ...state,
        enrolled: new Map(state.enrolled).set(householdId, { householdId, desil, establishedOn }),
        waitlist: without(householdId),
      };
    }
    case 'HouseholdWaitlisted': {
      const { householdId, desil, establishedOn } = event.data;
      return { ...state, waitlist: [...without(householdId), { householdId, desil, establishedOn }].sort(byPriority) };
    }
    case 'HouseholdLeftWaitlist':
      return { ...state, waitlist: without(event.data.householdId) };
    case 'HouseholdExited': {
      const enrolled = new Map(state.enrolled);
      enrolled.delete(event.data.householdId);
      return { ...state, enrolled };
    }
    case 'RecipientListApproved':
      return { ...state, approved: true };
  }
}

/** Enrol from the head of the waitlist while places are free. */
function fillFreePlaces(state: EnrolmentState, quota: number, cause: string, ruleVersion: string): EnrolmentEvent[] {
  const free = Math.max(0, quota - state.enrolled.size);
  return state.waitlist.slice(0, free).map((e, i) => ({
    type: 'HouseholdEnrolled',
    data: { ...e, ruleVersion, cause, quota, enrolledCount: state.enrolled.size + i + 1, promotedFromWaitlist: true },
  }));
}

export function decideEnrolment(command: EnrolmentCommand, state: EnrolmentState): EnrolmentEvent[] | Rejection {
  if (state.approved) {
    return reject('conflict', 'PERIOD_LIST_APPROVED', {
      id: 'Daftar penerima periode ini sudah disetujui; perubahan berlaku untuk periode berikutnya',
      en: "This period's recipient list is approved; changes apply to the next period",
    });
  }
  switch (command.type) {
    case 'setQuota': {
      if (!Number.isInteger(command.quota) || command.quota < 0)
        return reject('rule', 'QUOTA_INVALID', {
          id: 'Kuota harus bilangan bulat ≥ 0',
          en: 'The quota must be a whole number ≥ 0',
        });
      const set: EnrolmentEvent = {
        type: 'QuotaSet',
        data: {
          program: command.program,
          regencyCode: command.regencyCode,
          period: command.period,
          quota: command.quota,
          ...(state.quota !== undefined ? { previous: state.quota } : {}),
        },
      };
      // A lower quota does not remove anyone: it only stops new entries until places free up.
      return [set, ...fillFreePlaces(state, command.quota, 'QUOTA_RAISED', 'quota')];
    }
    case 'evaluate':
      return evaluate(command, state);
    case 'approveList':
      return [{ type: 'RecipientListApproved', data: { period: command.period, enrolledCount: state.enrolled.size } }];
    case 'revertQuota':
      return revertQuota(command, state);
  }
}

function revertQuota(command: Extract<EnrolmentCommand, { type: 'revertQuota' }>, state: EnrolmentState): EnrolmentEvent[] {
  const { quotaBefore, revertedBatchId } = command;
  const events: EnrolmentEvent[] = [
    {
      type: 'QuotaSet',
      data: { ...state.quotaOf!, quota: quotaBefore, previous: state.quota, revertedBatchId },
    },
  ];
  let after = evolveEnrolment(state, events[0]);
  for (const id of command.promoted) {
    const entry = state.enrolled.get(id);
    if (!entry) continue; // left since: nothing to undo
    const exited: EnrolmentEvent = {
      type: 'HouseholdExited',
      data: { householdId: id, cause: revertedBatchId, ruleVersion: 'quota', reasons: ['BATCH_REVERTED'] },
    };
    after = evolveEnrolment(after, exited);
    const rank = [...after.waitlist, entry].sort(byPriority).findIndex((e) => e.householdId === id) + 1;
    const waitlisted: EnrolmentEvent = {
      type: 'HouseholdWaitlisted',
      data: { ...entry, ruleVersion: 'quota', cause: revertedBatchId, quota: quotaBefore, rank },
    };
    after = evolveEnrolment(after, waitlisted);
    events.push(exited, waitlisted);
  }
  return events;
}

function evaluate(command: Extract<EnrolmentCommand, { type: 'evaluate' }>, state: EnrolmentState): EnrolmentEvent[] {
  const { household, cause, ruleVersion } = command;
  const id = household.householdId;
  const enrolled = state.enrolled.has(id);
  const waiting = state.waitlist.some((e) => e.householdId === id);
  if (!command.eligible) {
    if (waiting) return [{ type: 'HouseholdLeftWaitlist', data: { householdId: id, cause, reasons: command.reasons } }];
    if (!enrolled) return [];
    const exited: EnrolmentEvent = {
      type: 'HouseholdExited',
      data: { householdId: id, cause, ruleVersion, reasons: command.reasons },
    };
    const after = evolveEnrolment(state, exited);
    return [exited, ...(state.quota === undefined ? [] : fillFreePlaces(after, state.quota, cause, ruleVersion))];
  }
  if (enrolled || waiting) return [];
  const quota = state.quota ?? 0;
  if (state.enrolled.size < quota) {
    return [
      {
        type: 'HouseholdEnrolled',
        data: { ...household, ruleVersion, cause, quota, enrolledCount: state.enrolled.size + 1, promotedFromWaitlist: false },
      },
    ];
  }
  const rank = [...state.waitlist, household].sort(byPriority).findIndex((e) => e.householdId === id) + 1;
  return [{ type: 'HouseholdWaitlisted', data: { ...household, ruleVersion, cause, quota, rank } }];
}

export const enrolmentDecider: Decider<EnrolmentCommand, EnrolmentEvent, EnrolmentState> = {
  decide: decideEnrolment,
  evolve: evolveEnrolment,
  initialState: initialEnrolmentState,
};
