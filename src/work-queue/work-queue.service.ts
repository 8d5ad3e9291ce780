import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReviewKind } from '../appeals/appeal';
import { Appeals } from '../appeals/appeals.service';
import { authorize, authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { UsersService } from '../auth/users.service';
import { commandMetadata, loadState } from '../event-store/load-state';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { formatPosition } from '../event-store/position';
import { VERVAL_STATES } from '../registration/verval-state-machine';
import { Clock, CLOCK } from '../shared/clock';
import { isRejection } from '../shared/decider';
import { ApiError } from '../shared/http/api-error';
import { pageOf } from '../shared/http/page.dto';
import { Cell, ExportFormat, keysetPages, mapPages, TabularExport } from '../tabular/tabular-export';
import { QueuedCase, workItemDecider } from './work-item';

export interface QueueFilter {
  readonly stage?: string;
  readonly villageCode?: string;
  readonly caseType?: string;
  readonly overdue?: boolean;
  readonly assignee?: 'me' | 'none';
  readonly sort: 'due' | 'age';
  readonly page: number;
  readonly pageSize: number;
}

const QUEUE_EXPORT_HEADER = [
  'jenis_kasus',
  'id_kasus',
  'tahap',
  'kode_desa',
  'menunggu_peran',
  'dibuka',
  'di_tahap_sejak',
  'tenggat_sla',
  'terlambat',
  'petugas',
];

const SORTS = {
  // Overdue first, then the nearest due date, then the oldest.
  due: '(due_on < $6::date) desc, due_on asc nulls last, opened_at asc',
  age: 'opened_at asc',
};

/** The queues: what waits for a role in a region, with SLA flags; claiming and assigning; the load per caseworker. */
@Injectable()
export class WorkQueues {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly users: UsersService,
    private readonly appeals: Appeals,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** What a reader's queue holds under a filter: a where clause over params $1–$6 ($6 is today). */
  private scope(reader: Principal, f: Omit<QueueFilter, 'sort' | 'page' | 'pageSize'>) {
    const region = this.regionFor(reader, f.villageCode);
    const where = `open and $1 = any(awaiting_roles) and ($2 = '' or village_code = $2 or village_code like $2 || '.%')
      and ($3::text is null or case_type = $3) and ($4::boolean is not true or due_on < $6::date)
      and ($5::text is null or ($5 = 'none' and assignee is null) or assignee = $5)`;
    const today = this.clock.now().toISOString().slice(0, 10);
    const params = [
      reader.role,
      region,
      f.caseType ?? null,
      f.overdue ?? null,
      f.assignee === 'me' ? reader.userId : (f.assignee ?? null),
      today,
    ];
    return { region, where, params, today };
  }

  async list(reader: Principal, f: QueueFilter): Promise<object> {
    const { where, params } = this.scope(reader, f);
    const rows = await this.dataSource.query(
      `select case_type as "caseType", case_id as "caseId", stage, village_code as "villageCode",
              opened_at as "openedAt", stage_since as "stageSince", to_char(due_on, 'YYYY-MM-DD') as "dueOn",
              coalesce(due_on < $6::date, false) as overdue, assignee,
              ($6::date - opened_at::date) as "ageDays", count(*) over ()::int as total
       from work_items where ${where} and ($7::text is null or stage = $7)
       order by ${SORTS[f.sort]} limit $8 offset $9`,
      [...params, f.stage ?? null, f.pageSize, (f.page - 1) * f.pageSize],
    );
    const counts = await this.dataSource.query(
      `select stage, count(*)::int as count, count(*) filter (where due_on < $6::date)::int as overdue
       from work_items where ${where} group by stage order by stage`,
      params,
    );
    const page = pageOf<{ stage: string }>(rows);
    return {
      ...page,
      items: page.items.map((i) => ({ ...i, stageLabel: VERVAL_STATES[i.stage as keyof typeof VERVAL_STATES] ?? null })),
      countsByStage: counts,
    };
  }

  /** The whole queue under a filter, for export: pages of 5,000 in key order (bounded memory). */
  exportTable(reader: Principal, f: Omit<QueueFilter, 'sort' | 'page' | 'pageSize'>, format: ExportFormat): TabularExport {
    const { region, where, params, today } = this.scope(reader, f);
    type Row = { case_type: string; case_id: string; cells: Cell[] };
    const fetch = async (after?: [string, string]): Promise<Row[]> =>
      (
        await this.dataSource.query(
          `select case_type, case_id, stage, village_code, array_to_string(awaiting_roles, ' ') as roles,
                  opened_at, stage_since, to_char(due_on, 'YYYY-MM-DD') as due, coalesce(due_on < $6::date, false) as overdue, assignee
           from work_items where ${where} and ($7::text is null or stage = $7)
             and ($8::text is null or (case_type, case_id) > ($8, $9::uuid))
           order by case_type, case_id limit 5000`,
          [...params, f.stage ?? null, after?.[0] ?? null, after?.[1] ?? null],
        )
      ).map((r: Record<string, unknown>) => ({
        case_type: r.case_type as string,
        case_id: r.case_id as string,
        cells: [
          r.case_type as string,
          r.case_id as string,
          r.stage as string,
          r.village_code as string,
          r.roles as string,
          (r.opened_at as Date).toISOString(),
          (r.stage_since as Date).toISOString(),
          r.due as string | null,
          r.overdue as boolean,
          r.assignee as string | null,
        ],
      }));
    const rows = keysetPages(fetch, (r: Row): [string, string] => [r.case_type, r.case_id]);
    return {
      format,
      filename: `antrean-${region || 'nasional'}-${today}`,
      header: QUEUE_EXPORT_HEADER,
      pages: mapPages(rows, (r) => r.cells),
    };
  }

  /** A supervisor's view: open and overdue cases per caseworker in a region, and those no one holds. */
  async load(reader: Principal, regionCode?: string): Promise<object> {
    const denied = authorizePermission(reader, 'queues:assign', regionCode ?? reader.region);
    if (denied) throw ApiError.fromRejection(denied);
    const region = regionCode ?? reader.region;
    const rows = await this.dataSource.query(
      `select w.assignee as "userId", u.username, u.display_name as "displayName",
              count(*)::int as open, count(*) filter (where w.due_on < $2::date)::int as overdue
       from work_items w left join users u on u.id::text = w.assignee
       where w.open and ($1 = '' or w.village_code = $1 or w.village_code like $1 || '.%')
       group by w.assignee, u.username, u.display_name
       order by (w.assignee is null) desc, open desc`,
      [region, this.clock.now().toISOString().slice(0, 10)],
    );
    return { regionCode: region, caseworkers: rows };
  }

  /** Claim a case (`me`) or, as a supervisor, give it to a named caseworker. */
  async assign(caseType: string, caseId: string, assigneeName: string, actor: Principal): Promise<object> {
    const item = await this.item(caseType, caseId);
    const assignee = assigneeName === 'me' ? actor : await this.principalOf(assigneeName);
    if (caseType === 'banding' || caseType === 'sanggah') {
      const result = await this.appeals.assign(caseId, assignee.userId, { actor }, undefined, caseType as ReviewKind);
      return { caseType, caseId, assignee: assignee.userId, position: result.position };
    }
    const streamId = `worklist-${caseType}-${caseId}`;
    const { state, version } = await loadState(this.store, workItemDecider, streamId);
    const events = workItemDecider.decide({ type: 'assign', item, assignee, actor, at: new Date().toISOString() }, state);
    if (isRejection(events)) throw ApiError.fromRejection(events);
    const metadata = commandMetadata({ actor });
    const written = events.length
      ? await this.store.append(
          streamId,
          events.map((e) => ({ ...e, metadata })),
          { expectedVersion: version },
        )
      : undefined;
    return { caseType, caseId, assignee: assignee.userId, position: written ? formatPosition(written.position) : null };
  }

  private async item(caseType: string, caseId: string): Promise<QueuedCase> {
    const [row] = await this.dataSource.query(
      `select case_type as "caseType", case_id as "caseId", village_code as "villageCode", awaiting_roles as "awaitingRoles", open
       from work_items where case_type = $1 and case_id = $2`,
      [caseType, caseId],
    );
    if (!row) throw ApiError.notFound({ id: 'Kasus', en: 'Case' });
    return row;
  }

  private async principalOf(username: string): Promise<Principal> {
    const user = await this.users.byUsername(username);
    if (!user) throw new ApiError(422, 'ASSIGNEE_UNKNOWN', { id: 'Petugas tidak dikenal', en: 'Unknown caseworker' });
    return { userId: user.id, role: user.role, region: user.regionCode };
  }

  /** The region a queue is read for: the reader's own, or a part of it they name. */
  private regionFor(reader: Principal, villageCode?: string): string {
    if (!villageCode) return reader.region;
    const denied = authorize(reader, [reader.role], villageCode);
    if (denied) throw ApiError.fromRejection(denied);
    return villageCode;
  }
}
