import { Role } from '../auth/roles';
import { Decider, reject, Rejection } from '../shared/decider';
import { CaseCommandContext, checkCaseTransition } from '../shared/case-transition';

/**
 * What a review case is about. A household appeals (banding) a Tidak Layak result, its ranking
 * (desil) or an exit; a neighbour objects (sanggah) to a recipient, with a photo and the place it
 * was taken.
 */
export type AppealSubject =
  | { type: 'TIDAK_LAYAK'; registrationCaseId: string }
  | { type: 'RANKING'; householdId: string; desil: number }
  | { type: 'EXIT'; householdId: string; program: string; listStreamId: string }
  | { type: 'SANGGAH'; householdId: string; photoSha256: string; gps: { lat: number; lon: number } };

/** Who objected: stored encrypted, shown to no one but the caseworker deciding the objection. */
export interface Objector {
  readonly nik: string;
  readonly fullName: string;
  readonly phone?: string;
}

/** Appeals (banding) and objections (sanggah) share one lifecycle, in streams of their own. */
export type ReviewKind = 'banding' | 'sanggah';
export const appealStreamId = (appealId: string, kind: ReviewKind = 'banding'): string => `${kind}-${appealId}`;

export type AppealStatus = 'NONE' | 'DIAJUKAN' | 'DIPROSES' | 'DIKABULKAN' | 'DITOLAK';

/** The appeal's state machine as data: who may take each step. */
export const APPEAL_TRANSITIONS: ReadonlyArray<{
  action: AppealCommand['type'];
  from: AppealStatus;
  roles: Role[];
  requiresReason: boolean;
}> = [
  { action: 'file', from: 'NONE', roles: ['operator_desa', 'pendamping', 'dinsos'], requiresReason: true },
  // A citizen whose registered village is the recipient's (the principal's region proves it).
  { action: 'object', from: 'NONE', roles: ['pemohon'], requiresReason: true },
  { action: 'assign', from: 'DIAJUKAN', roles: ['dinsos'], requiresReason: false },
  { action: 'uphold', from: 'DIPROSES', roles: ['dinsos'], requiresReason: true },
  { action: 'dismiss', from: 'DIPROSES', roles: ['dinsos'], requiresReason: true },
];

export type AppealEvent =
  | {
      type: 'AppealFiled';
      data: {
        appealId: string;
        subject: AppealSubject;
        villageCode: string;
        contestedAt: string;
        windowDays: number;
        filedAt: string;
        dueOn: string;
      };
    }
  | {
      type: 'ObjectionFiled';
      data: { appealId: string; subject: AppealSubject; villageCode: string; objector: Objector; filedAt: string; dueOn: string };
    }
  | { type: 'AppealAssigned'; data: { caseworkerId: string } }
  | { type: 'AppealUpheld'; data: { decidedBy: string; overdue: boolean; subject: AppealSubject } }
  | { type: 'AppealDismissed'; data: { decidedBy: string; overdue: boolean } };

export interface AppealState {
  readonly status: AppealStatus;
  readonly appealId?: string;
  readonly subject?: AppealSubject;
  readonly villageCode?: string;
  readonly dueOn?: string;
  readonly caseworkerId?: string;
}

type Ctx = CaseCommandContext;
export type AppealCommand =
  | (Ctx & {
      type: 'file';
      appealId: string;
      subject: AppealSubject;
      villageCode: string;
      contestedAt: string;
      windowDays: number;
      slaDays: number;
    })
  | (Ctx & {
      type: 'object';
      appealId: string;
      subject: Extract<AppealSubject, { type: 'SANGGAH' }>;
      villageCode: string;
      objector: Objector;
      slaDays: number;
    })
  | (Ctx & { type: 'assign'; caseworkerId: string })
  | (Ctx & { type: 'uphold' | 'dismiss' });

const addDays = (isoDate: string, days: number): string =>
  new Date(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function evolve(state: AppealState, event: AppealEvent): AppealState {
  switch (event.type) {
    case 'AppealFiled':
    case 'ObjectionFiled':
      return {
        status: 'DIAJUKAN',
        appealId: event.data.appealId,
        subject: event.data.subject,
        villageCode: event.data.villageCode,
        dueOn: event.data.dueOn,
      };
    case 'AppealAssigned':
      return { ...state, status: 'DIPROSES', caseworkerId: event.data.caseworkerId };
    case 'AppealUpheld':
      return { ...state, status: 'DIKABULKAN' };
    case 'AppealDismissed':
      return { ...state, status: 'DITOLAK' };
  }
}

function decide(command: AppealCommand, state: AppealState): AppealEvent[] | Rejection {
  if (state.status === 'NONE' && command.type !== 'file' && command.type !== 'object')
    return reject('not_found', 'CASE_NOT_FOUND', { id: 'Banding tidak ditemukan', en: 'Appeal not found' });
  const row = APPEAL_TRANSITIONS.find((t) => t.action === command.type)!;
  const refused = checkCaseTransition(
    row,
    command,
    state.status,
    command.type === 'file' || command.type === 'object' ? command.villageCode : state.villageCode!,
  );
  if (refused) return refused;
  const today = command.at.slice(0, 10);
  switch (command.type) {
    case 'file': {
      const closes = addDays(command.contestedAt, command.windowDays);
      if (today > closes) {
        return reject('rule', 'APPEAL_WINDOW_CLOSED', {
          id: `Batas waktu banding (${command.windowDays} hari) telah lewat sejak ${closes}`,
          en: `The ${command.windowDays}-day appeal window closed on ${closes}`,
        });
      }
      const { appealId, subject, villageCode, contestedAt, windowDays } = command;
      return [
        {
          type: 'AppealFiled',
          data: {
            appealId,
            subject,
            villageCode,
            contestedAt,
            windowDays,
            filedAt: command.at,
            dueOn: addDays(today, command.slaDays),
          },
        },
      ];
    }
    case 'object': {
      const { appealId, subject, villageCode, objector } = command;
      return [
        {
          type: 'ObjectionFiled',
          data: { appealId, subject, villageCode, objector, filedAt: command.at, dueOn: addDays(today, command.slaDays) },
        },
      ];
    }
    case 'assign':
      return [{ type: 'AppealAssigned', data: { caseworkerId: command.caseworkerId } }];
    case 'uphold':
    case 'dismiss': {
      if (command.actor.userId !== state.caseworkerId) {
        return reject('forbidden', 'NOT_ASSIGNED', {
          id: 'Hanya petugas yang ditugaskan yang dapat memutuskan',
          en: 'Only the assigned caseworker may decide',
        });
      }
      const data = { decidedBy: command.actor.userId, overdue: today > state.dueOn! };
      return [
        command.type === 'uphold'
          ? { type: 'AppealUpheld', data: { ...data, subject: state.subject! } }
          : { type: 'AppealDismissed', data },
      ];
    }
  }
}

export const appealDecider: Decider<AppealCommand, AppealEvent, AppealState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE' }),
};
