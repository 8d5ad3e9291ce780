import { authorize, PERMISSIONS } from '../auth/policy';
import { Principal, Role } from '../auth/roles';
import { Decider, reject, Rejection } from '../shared/decider';

/** A case as its queue sees it. */
export interface QueuedCase {
  readonly caseType: string;
  readonly caseId: string;
  readonly villageCode: string;
  readonly awaitingRoles: readonly string[];
  readonly open: boolean;
}

export type WorkItemEvent = {
  type: 'WorkItemAssigned';
  data: { caseType: string; caseId: string; assignee: string; assignedBy: string };
};

export interface WorkItemCommand {
  readonly type: 'assign';
  readonly item: QueuedCase;
  readonly assignee: Principal;
  readonly actor: Principal;
  readonly at: string;
}

export interface WorkItemState {
  readonly assignee?: string;
}

/**
 * Who holds a case in the queue (stream `worklist-<type>-<caseId>`). Anyone the case waits for,
 * within its region, may claim it; a supervisor may give it to such a person by name.
 */
function decide(command: WorkItemCommand, state: WorkItemState): WorkItemEvent[] | Rejection {
  const { item, assignee, actor } = command;
  if (!item.open) return reject('conflict', 'CASE_CLOSED', { id: 'Kasus sudah selesai', en: 'The case is closed' });
  const claiming = assignee.userId === actor.userId;
  const denied = authorize(actor, claiming ? (item.awaitingRoles as Role[]) : PERMISSIONS['queues:assign'], item.villageCode);
  if (denied) return denied;
  if (!item.awaitingRoles.includes(assignee.role) || authorize(assignee, [assignee.role], item.villageCode))
    return reject('rule', 'ASSIGNEE_NOT_ELIGIBLE', {
      id: 'Petugas itu tidak berwenang atas tahap atau wilayah kasus ini',
      en: 'That person may not act on this stage or region',
    });
  if (state.assignee === assignee.userId) return [];
  return [
    {
      type: 'WorkItemAssigned',
      data: { caseType: item.caseType, caseId: item.caseId, assignee: assignee.userId, assignedBy: actor.userId },
    },
  ];
}

export const workItemDecider: Decider<WorkItemCommand, WorkItemEvent, WorkItemState> = {
  decide,
  evolve: (_state, event) => ({ assignee: event.data.assignee }),
  initialState: () => ({}),
};
