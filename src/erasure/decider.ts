import { normaliseName } from '../registration/application';
import { Decider, reject, Rejection } from '../shared/decider';
import { ErasureCommand } from './commands';
import { ErasureEvent } from './events';
import { LegalBasis } from './legal-basis';

export type ErasureStatus = 'NONE' | 'DIAJUKAN' | 'DISETUJUI' | 'DITOLAK';

/**
 * The request's life, as data: which command each status allows and where it leads. A decided
 * request is final; a new request may be filed.
 */
export const ERASURE_TRANSITIONS: Record<ErasureCommand['type'], { from: readonly ErasureStatus[]; to: ErasureStatus }> = {
  requestErasure: { from: ['NONE'], to: 'DIAJUKAN' },
  approveErasure: { from: ['DIAJUKAN'], to: 'DISETUJUI' },
  rejectErasure: { from: ['DIAJUKAN'], to: 'DITOLAK' },
};

export interface ErasureState {
  readonly status: ErasureStatus;
  readonly requestId?: string;
  readonly householdId?: string;
  readonly villageCode?: string;
  readonly legalBasis?: LegalBasis;
  readonly reason?: string;
  readonly requestedBy?: string;
  readonly decidedBy?: string;
}

const initialState = (): ErasureState => ({ status: 'NONE' });

function evolve(state: ErasureState, event: ErasureEvent): ErasureState {
  switch (event.type) {
    case 'ErasureRequested':
      return { status: 'DIAJUKAN', ...event.data };
    case 'ErasureApproved':
      return { ...state, status: 'DISETUJUI', decidedBy: event.data.decidedBy };
    case 'ErasureRejected':
      return { ...state, status: 'DITOLAK', decidedBy: event.data.decidedBy };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** A 16-digit run is a NIK or a KK number: never in a reason that outlives the erasure. */
const SIXTEEN_DIGITS = /\d{16}/;

function personalDataIn(reason: string, terms: readonly string[]): boolean {
  if (SIXTEEN_DIGITS.test(reason.replace(/[\s.-]/g, ''))) return true;
  const text = ` ${normaliseName(reason)} `;
  return terms.some((t) => t.length > 0 && (text.includes(` ${normaliseName(t)} `) || reason.includes(t)));
}

function decide(command: ErasureCommand, state: ErasureState): ErasureEvent[] | Rejection {
  if (!ERASURE_TRANSITIONS[command.type].from.includes(state.status)) {
    return reject('conflict', 'ERASURE_STATE', {
      id: `Permintaan penghapusan berstatus ${state.status}: tindakan ini tidak dapat dilakukan`,
      en: `The erasure request is ${state.status}: this action is not possible`,
    });
  }
  switch (command.type) {
    case 'requestErasure': {
      if (personalDataIn(command.reason, command.personalTerms)) {
        return reject('rule', 'REASON_HAS_PERSONAL_DATA', {
          id: 'Alasan tidak boleh memuat NIK, nomor KK atau nama anggota keluarga',
          en: 'The reason must not contain a NIK, a KK number or a member’s name',
        });
      }
      const { requestId, householdId, villageCode, legalBasis, reason, actorId } = command;
      return [
        { type: 'ErasureRequested', data: { requestId, householdId, villageCode, legalBasis, reason, requestedBy: actorId } },
      ];
    }
    case 'approveErasure':
    case 'rejectErasure': {
      // Four eyes: the person who asked never decides their own request.
      if (command.actorId === state.requestedBy) {
        return reject('rule', 'FOUR_EYES', {
          id: 'Permintaan penghapusan harus diputuskan oleh petugas lain, bukan pengajunya',
          en: 'An erasure request must be decided by another officer, not the one who asked',
        });
      }
      const ids = { requestId: state.requestId!, householdId: state.householdId!, decidedBy: command.actorId };
      return command.type === 'approveErasure'
        ? [{ type: 'ErasureApproved', data: { ...ids, subjects: [...command.subjects] } }]
        : [{ type: 'ErasureRejected', data: ids }];
    }
    default: {
      const never: never = command;
      return never;
    }
  }
}

export const erasureDecider: Decider<ErasureCommand, ErasureEvent, ErasureState> = { decide, evolve, initialState };
