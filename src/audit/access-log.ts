import { createParamDecorator, ExecutionContext, Global, Injectable, Module } from '@nestjs/common';
import { AuthenticatedRequest } from '../auth/auth.guard';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { pageOf } from '../shared/http/page.dto';

export interface AccessRecord {
  readonly at: string;
  readonly userId: string;
  readonly role: string;
  readonly region: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly what: string;
  readonly purpose: string | null;
}

/**
 * Every staff read of a household's or a case's personal data, recorded with who, when, what and
 * (when given, `X-Purpose`) why; auditors read it. Kept in its own append-only table: a read is
 * not a domain event.
 */
@Injectable()
export class AccessLog {
  constructor(private readonly dataSource: DataSource) {}

  async record({ principal: reader, purpose }: Reader, subjectType: string, subjectId: string, what: string): Promise<void> {
    await this.dataSource.query(
      `insert into access_log (user_id, role, region, subject_type, subject_id, what, purpose) values ($1, $2, $3, $4, $5, $6, $7)`,
      [reader.userId, reader.role, reader.region, subjectType, subjectId, what, purpose?.trim().slice(0, 200) || null],
    );
  }

  async list(filter: {
    subjectId?: string;
    userId?: string;
    page: number;
    pageSize: number;
  }): Promise<{ total: number; items: AccessRecord[] }> {
    const rows = await this.dataSource.query(
      `select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, user_id as "userId", role, region,
              subject_type as "subjectType", subject_id as "subjectId", what, purpose, count(*) over ()::int as total
       from access_log
       where ($1::text is null or subject_id = $1) and ($2::text is null or user_id = $2)
       order by id desc limit $3 offset $4`,
      [filter.subjectId ?? null, filter.userId ?? null, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return pageOf<AccessRecord>(rows);
  }
}

@Global()
@Module({ providers: [AccessLog], exports: [AccessLog] })
export class AccessLogModule {}

/** A staff reader of personal data and, when they said it (`X-Purpose`), why they read it. */
export interface Reader {
  readonly principal: Principal;
  readonly purpose?: string;
}

export const CurrentReader = createParamDecorator((_: unknown, ctx: ExecutionContext): Reader => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  const purpose = req.headers['x-purpose'];
  return { principal: req.principal!, purpose: typeof purpose === 'string' ? purpose : undefined };
});
