import { EntityManager } from 'typeorm';
import { APPEAL_TRANSITIONS, appealDecider, AppealEvent } from '../../src/appeals/appeal';
import { RecordedEvent } from '../../src/event-store/envelope';
import { EventFilter } from '../../src/event-store/port';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';
import { statusAfter } from '../../src/registration/decider';
import { RegistrationEvent } from '../../src/registration/events';
import { awaitingRoles, CaseState, NO_CASE, VERVAL_STATES, VervalState } from '../../src/registration/verval-state-machine';
import { approversOf, StatusChangeDetails, statusChangeDecider, StatusChangeEvent } from '../../src/status-changes/status-change';
import { dueOn } from '../../src/work-queue/stage-sla';

const rolesOf = (rows: ReadonlyArray<{ action: string; roles: readonly string[] }>, action: string): string[] => [
  ...rows.find((r) => r.action === action)!.roles,
];
const idOf = (e: RecordedEvent): string => e.streamId.slice(e.streamId.indexOf('-') + 1);
const at = (e: RecordedEvent): string => e.metadata.recordedAt!;

interface Row {
  caseType: string;
  caseId: string;
  stage: string;
  villageCode: string;
  awaitingRoles: string[];
  open: boolean;
  openedAt: string;
  stageSince: string;
  dueOn: string | null;
  assignee: string | null;
}

/**
 * The operators' work queues: every case (registration, status change, appeal, objection) with
 * its stage, the roles it waits for (from the state-machine tables), its age and SLA due date, and
 * who has it. A registration's stage comes from the decider's own `statusAfter`.
 */
export class WorkQueueProjection extends Projection {
  readonly name = 'work-queue';
  readonly tables = ['work_items'];
  protected readonly handlers: Record<string, ProjectionHandler> = {};

  override get filter(): EventFilter {
    return { categories: ['registration', 'statuschange', 'banding', 'sanggah', 'worklist'] };
  }

  override async apply(events: readonly RecordedEvent[], m: EntityManager): Promise<void> {
    for (const e of events) {
      const category = e.streamId.slice(0, e.streamId.indexOf('-'));
      if (category === 'registration') await this.registration(e, m);
      else if (category === 'statuschange') await this.statusChange(e, m);
      else if (category === 'worklist') await this.assigned(e, m);
      else await this.review(category, e, m);
    }
  }

  private async registration(e: RecordedEvent, m: EntityManager): Promise<void> {
    const caseId = idOf(e);
    const row = await this.find(m, 'registration', caseId);
    if (!row && e.type !== 'RegistrationDraftSaved') return;
    const before = (row?.stage ?? NO_CASE) as CaseState;
    const stage = statusAfter(before, e as unknown as RegistrationEvent);
    if (row && stage === before) return;
    const roles = awaitingRoles(stage);
    const village = row?.villageCode ?? (e.data as { application: { villageCode: string } }).application.villageCode;
    await this.save(m, {
      caseType: 'registration',
      caseId,
      stage,
      villageCode: village,
      awaitingRoles: roles,
      open: roles.length > 0 && !VERVAL_STATES[stage as VervalState].terminal,
      openedAt: row?.openedAt ?? at(e),
      stageSince: at(e),
      dueOn: dueOn(stage, at(e)),
      assignee: null, // a new stage waits for a new hand
    });
  }

  private async statusChange(e: RecordedEvent, m: EntityManager): Promise<void> {
    if (e.type === 'StatusChangeRequested') {
      await this.save(m, {
        caseType: 'statuschange',
        caseId: idOf(e),
        stage: 'DIAJUKAN',
        villageCode: (e.data as { villageCode: string }).villageCode,
        awaitingRoles: approversOf(
          (e.data as { villageCode: string }).villageCode,
          (e.data as { details: StatusChangeDetails }).details,
        ),
        open: true,
        openedAt: at(e),
        stageSince: at(e),
        dueOn: dueOn('statuschange', at(e)),
        assignee: null,
      });
    } else {
      // The case's own decider names the status the decision leaves it in.
      const { status } = statusChangeDecider.evolve({ status: 'DIAJUKAN' }, e as unknown as StatusChangeEvent);
      await this.close(m, 'statuschange', e, status);
    }
  }

  private async review(kind: string, e: RecordedEvent, m: EntityManager): Promise<void> {
    const data = e.data as { villageCode: string; dueOn: string; caseworkerId: string };
    if (e.type === 'AppealFiled' || e.type === 'ObjectionFiled') {
      await this.save(m, {
        caseType: kind,
        caseId: idOf(e),
        stage: 'DIAJUKAN',
        villageCode: data.villageCode,
        awaitingRoles: rolesOf(APPEAL_TRANSITIONS, 'assign'),
        open: true,
        openedAt: at(e),
        stageSince: at(e),
        dueOn: data.dueOn,
        assignee: null,
      });
    } else if (e.type === 'AppealAssigned') {
      await m.query(
        `update work_items set stage = 'DIPROSES', stage_since = $3, assignee = $4, awaiting_roles = $5
         where case_type = $1 and case_id = $2`,
        [kind, idOf(e), at(e), data.caseworkerId, rolesOf(APPEAL_TRANSITIONS, 'uphold')],
      );
    } else {
      const { status } = appealDecider.evolve({ status: 'DIPROSES' }, e as unknown as AppealEvent);
      await this.close(m, kind, e, status);
    }
  }

  private async assigned(e: RecordedEvent, m: EntityManager): Promise<void> {
    const { caseType, caseId, assignee } = e.data as { caseType: string; caseId: string; assignee: string };
    await m.query('update work_items set assignee = $3 where case_type = $1 and case_id = $2', [caseType, caseId, assignee]);
  }

  private async close(m: EntityManager, caseType: string, e: RecordedEvent, stage: string): Promise<void> {
    await m.query(`update work_items set open = false, stage = $3, stage_since = $4 where case_type = $1 and case_id = $2`, [
      caseType,
      idOf(e),
      stage,
      at(e),
    ]);
  }

  private async find(m: EntityManager, caseType: string, caseId: string): Promise<Row | undefined> {
    const [row] = await m.query(
      `select stage, village_code as "villageCode", to_char(opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "openedAt"
       from work_items where case_type = $1 and case_id = $2`,
      [caseType, caseId],
    );
    return row;
  }

  private async save(m: EntityManager, r: Row): Promise<void> {
    await m.query(
      `insert into work_items (case_type, case_id, stage, village_code, awaiting_roles, open, opened_at, stage_since, due_on, assignee)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (case_type, case_id) do update set stage = excluded.stage, awaiting_roles = excluded.awaiting_roles,
         open = excluded.open, stage_since = excluded.stage_since, due_on = excluded.due_on, assignee = excluded.assignee`,
      [r.caseType, r.caseId, r.stage, r.villageCode, r.awaitingRoles, r.open, r.openedAt, r.stageSince, r.dueOn, r.assignee],
    );
  }
}
