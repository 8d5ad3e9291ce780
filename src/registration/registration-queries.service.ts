import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { pageOf } from '../shared/http/page.dto';
import { RegistrationState } from './decider';
import { missingDocuments } from './documents';
import { RegistrationCases } from './registration-cases.service';
import { NO_CASE, VERVAL_STATES, VERVAL_TRANSITIONS } from './verval-state-machine';

export interface CaseListQuery {
  readonly status?: string;
  readonly regionCode?: string;
  readonly page: number;
  readonly pageSize: number;
}

const NOT_FOUND = { id: 'Pendaftaran', en: 'Registration' };

/** Reads of registration cases, each within the reader's region. */
@Injectable()
export class RegistrationQueries {
  constructor(
    private readonly cases: RegistrationCases,
    private readonly dataSource: DataSource,
  ) {}

  /** The whole case (the applicant's data included) for staff of its region or the applicant. */
  async get(caseId: string, principal: Principal, applicantTokenHash: string | undefined, today: string): Promise<object> {
    const { state, version } = await this.cases.load(caseId);
    if (state.status === NO_CASE) throw ApiError.notFound(NOT_FOUND);
    if (principal.role === 'pemohon') {
      if (!state.applicantTokenHash || state.applicantTokenHash !== applicantTokenHash) throw ApiError.notFound(NOT_FOUND);
    } else {
      const denied = authorizePermission(principal, 'registrations:read', state.application!.villageCode);
      if (denied) throw ApiError.fromRejection(denied);
    }
    return this.view(caseId, state, version, principal, today);
  }

  private view(caseId: string, state: RegistrationState, version: number, principal: Principal, today: string): object {
    const status = state.status as keyof typeof VERVAL_STATES;
    return {
      caseId,
      version,
      status,
      statusLabel: { id: VERVAL_STATES[status].id, en: VERVAL_STATES[status].en },
      stage: VERVAL_STATES[status].stage,
      registrationNumber: state.registrationNumber ?? null,
      channel: state.channel,
      application: state.application,
      documents: state.documents,
      missingDocuments: missingDocuments(state.application!, state.documents, today),
      assessment: state.assessment ?? null,
      pendingOverride: state.pendingOverride ?? null,
      override: state.override ?? null,
      householdId: state.householdId ?? null,
      allowedActions: [
        ...new Set(
          VERVAL_TRANSITIONS.filter((t) => t.from.includes(status) && t.roles.includes(principal.role)).map((t) => t.action),
        ),
      ],
    };
  }

  /** Cases in the principal's region (or a region inside it), newest first. */
  async list(principal: Principal, query: CaseListQuery): Promise<object> {
    const region = query.regionCode ?? principal.region;
    const denied = authorizePermission(principal, 'registrations:read', region);
    if (denied) throw ApiError.fromRejection(denied);
    const params: unknown[] = [region, `${region}.%`, query.pageSize, (query.page - 1) * query.pageSize];
    let where = "($1 = '' or village_code = $1 or village_code like $2)";
    if (query.status) {
      params.push(query.status);
      where += ` and status = $${params.length}`;
    }
    const rows = await this.dataSource.query(
      `select case_id as "caseId", registration_number as "registrationNumber", village_code as "villageCode", channel, status, stage,
              version, household_id as "householdId", submitted_at as "submittedAt", updated_at as "updatedAt", count(*) over ()::int as total
       from registration_cases where ${where} order by updated_at desc limit $3 offset $4`,
      params,
    );
    return { page: query.page, pageSize: query.pageSize, ...pageOf(rows) };
  }

  /** What an applicant may see by registration number: the stage only. */
  async trackByNumber(registrationNumber: string): Promise<object> {
    const [row] = await this.dataSource.query(
      'select status, stage, updated_at from registration_cases where registration_number = $1',
      [registrationNumber],
    );
    if (!row) throw ApiError.notFound({ id: 'Nomor pendaftaran', en: 'Registration number' });
    const state = VERVAL_STATES[row.status as keyof typeof VERVAL_STATES];
    return { registrationNumber, stage: row.stage, stageLabel: { id: state.id, en: state.en }, updatedAt: row.updated_at };
  }
}
