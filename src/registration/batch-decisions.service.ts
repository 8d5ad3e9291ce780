import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { EvidenceRef } from '../event-store/envelope';
import { WrongExpectedVersionError } from '../event-store/errors';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { formatPosition } from '../event-store/position';
import { ApiError } from '../shared/http/api-error';
import { CasePlan, RegistrationCases } from './registration-cases.service';
import { ApprovalAction, rolesFor, transitionsFor } from './verval-state-machine';
import { authorize } from '../auth/policy';

export interface BatchRequest {
  readonly action: ApprovalAction;
  readonly approve: boolean;
  readonly actor: Principal;
  readonly reason?: string;
  readonly evidence?: readonly EvidenceRef[];
  /** Either the cases by id, or every case waiting for this decision in a region (and submit month). */
  readonly caseIds?: readonly string[];
  readonly regionCode?: string;
  /** `YYYY-MM`: cases submitted in that month. */
  readonly period?: string;
  readonly dryRun: boolean;
}

export interface BatchResult {
  readonly batchId: string;
  readonly dryRun: boolean;
  readonly count: number;
  readonly cases: ReadonlyArray<{ caseId: string; registrationNumber?: string; from: number; to: number; status: string }>;
  readonly position?: string;
}

export const MAX_BATCH = 5000;
const PLAN_CONCURRENCY = 8;

/**
 * A decision taken on a list (a village's musdes result, a regency's approval for a period): each
 * case gets its own event, all carrying the batch id, written in one atomic append. If any case
 * cannot take the decision nothing is written and every refused case is named.
 */
@Injectable()
export class BatchDecisions {
  constructor(
    private readonly cases: RegistrationCases,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async decide(request: BatchRequest): Promise<BatchResult> {
    const denied = authorize(request.actor, rolesFor(request.action), request.regionCode ?? request.actor.region);
    if (denied) throw ApiError.fromRejection(denied);
    const caseIds = request.caseIds?.length
      ? [...new Set(request.caseIds)]
      : (await this.selectWaiting(request)).map((r) => r.case_id);
    if (caseIds.length === 0)
      throw new ApiError(422, 'BATCH_EMPTY', {
        id: 'Tidak ada kasus yang menunggu keputusan ini',
        en: 'No case is waiting for this decision',
      });
    if (caseIds.length > MAX_BATCH)
      throw new ApiError(422, 'BATCH_TOO_LARGE', {
        id: `Maksimal ${MAX_BATCH} kasus per batch`,
        en: `At most ${MAX_BATCH} cases per batch`,
      });
    const batchId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const plans = await this.planAll(caseIds, batchId, request);
      const cases = plans.map((p) => ({
        caseId: p.result.caseId,
        registrationNumber: p.result.registrationNumber,
        from: p.result.version - p.appends[0].events.length,
        to: p.result.version,
        status: p.result.status,
      }));
      if (request.dryRun) return { batchId, dryRun: true, count: cases.length, cases };
      try {
        const results = await this.store.appendMany(plans.flatMap((p) => p.appends));
        return {
          batchId,
          dryRun: false,
          count: cases.length,
          cases,
          position: formatPosition(results[results.length - 1].position),
        };
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError) || attempt >= 3) throw err;
      }
    }
  }

  private async planAll(caseIds: readonly string[], batchId: string, request: BatchRequest): Promise<CasePlan[]> {
    const plans: CasePlan[] = [];
    const refused: Array<{ caseId: string; code: string; message: string }> = [];
    const command = {
      type: request.action,
      approve: request.approve,
      actor: request.actor,
      reason: request.reason,
      evidence: request.evidence,
      batchId,
    };
    for (let i = 0; i < caseIds.length; i += PLAN_CONCURRENCY) {
      await Promise.all(
        caseIds.slice(i, i + PLAN_CONCURRENCY).map(async (caseId) => {
          try {
            plans.push(await this.cases.plan(caseId, command as never, {}));
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            const body = err.getResponse() as { code: string; message: string };
            refused.push({ caseId, code: body.code, message: body.message });
          }
        }),
      );
    }
    if (refused.length > 0) {
      throw new ApiError(
        409,
        'BATCH_REFUSED',
        {
          id: `${refused.length} kasus tidak dapat diputuskan; tidak ada yang disimpan`,
          en: `${refused.length} cases cannot take this decision; nothing was saved`,
        },
        refused,
      );
    }
    return plans;
  }

  /** What a batch would cover, for a preview: the waiting cases and their numbers (nothing is decided). */
  async waiting(
    request: Omit<BatchRequest, 'approve' | 'dryRun' | 'caseIds'>,
  ): Promise<Array<{ caseId: string; registrationNumber: string | null }>> {
    const denied = authorize(request.actor, rolesFor(request.action), request.regionCode ?? request.actor.region);
    if (denied) throw ApiError.fromRejection(denied);
    const rows = await this.selectWaiting({ ...request, approve: true, dryRun: true });
    return rows.map((r) => ({ caseId: r.case_id, registrationNumber: r.registration_number }));
  }

  /** Cases in the region waiting for this decision, from the case directory. */
  private async selectWaiting(request: BatchRequest): Promise<Array<{ case_id: string; registration_number: string | null }>> {
    if (!request.regionCode)
      throw ApiError.badRequest('BATCH_SELECTION', { id: 'Isi caseIds atau regionCode', en: 'Give caseIds or regionCode' });
    const waiting = transitionsFor(request.action).flatMap((t) => t.from);
    const params: unknown[] = [waiting, request.regionCode, `${request.regionCode}.%`];
    let sql = `select case_id, registration_number from registration_cases where status = any($1) and (village_code = $2 or village_code like $3)`;
    if (request.period) {
      params.push(`${request.period}-01`);
      sql += ` and submitted_at >= $4::date and submitted_at < ($4::date + interval '1 month')`;
    }
    return this.dataSource.query(`${sql} order by submitted_at limit ${MAX_BATCH + 1}`, params);
  }
}
