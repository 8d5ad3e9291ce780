import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { authorizePermission } from '../auth/policy';
import { ProgramCatalogue } from '../programs/program-catalogue';
import { NikClaims } from '../registration/nik-claims';
import { ApiError } from '../shared/http/api-error';
import { PageQuery } from '../shared/http/page.dto';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { Page } from '../web/page.decorator';
import { actorsOf, Views } from '../web/views';
import { UsersService } from '../auth/users.service';
import { Web, WebContext } from '../web/web-context';
import { AccessLog } from './access-log';
import { AuditTrails, CASE_KINDS, CaseKind } from './audit.service';

class SearchQuery {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  q?: string;
}

class AsOfForm {
  @IsOptional()
  @Matches(/^(\d{4}-\d{2}-\d{2})?$/)
  tanggal?: string;

  @IsOptional()
  @Matches(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})?$/)
  diketahui?: string;
}

/** The auditors' view (read-only): find a household, its trail, "why", time travel, the access log. */
@ApiExcludeController()
@Controller('audit')
export class AuditPages {
  constructor(
    private readonly views: Views,
    private readonly trails: AuditTrails,
    private readonly accessLog: AccessLog,
    private readonly claims: NikClaims,
    private readonly catalogue: ProgramCatalogue,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

  @Get()
  @Page()
  searchForm(@Web() web: WebContext): string {
    this.mayRead(web);
    return this.views.render('audit/cari', web, {});
  }

  /** By NIK (through its claim: the NIK itself is stored nowhere in clear) or by registration number; posted, so no NIK sits in an address. */
  @Post()
  @Page()
  async search(@Web() web: WebContext, @Body() { q }: SearchQuery, @Res() res: Response): Promise<void> {
    this.mayRead(web);
    const query = (q ?? '').trim().toUpperCase();
    const target = query ? await this.find(query) : undefined;
    if (target) return res.redirect(303, target);
    res
      .status(404)
      .type('html')
      .send(this.views.render('audit/cari', web, { q: query, notFound: true }));
  }

  @Get('rumah-tangga/:id')
  @Page()
  async household(@Web() web: WebContext, @Param('id', UuidPipe) id: string, @Query() form: AsOfForm): Promise<string> {
    const reader = { principal: web.principal! };
    const trail = await this.trails.household(id, reader.principal);
    await this.accessLog.record(reader, 'household', id, 'timeline page');
    const asOf =
      form.tanggal || form.diketahui
        ? await this.trails.asOf(
            id,
            { asOf: form.tanggal || undefined, knownAt: form.diketahui ? `${form.diketahui}:00Z` : undefined },
            reader.principal,
          )
        : undefined;
    if (asOf) await this.accessLog.record(reader, 'household', id, `as-of ${form.tanggal ?? ''} ${form.diketahui ?? ''}`.trim());
    const programs = this.catalogue.codes().map((code) => ({ code, name: this.catalogue.name(code) }));
    return this.views.render('audit/rumah-tangga', web, {
      trail: { ...trail, entries: [...trail.entries].reverse() },
      programs,
      asOf,
      form,
      names: await this.users.usernames(actorsOf(trail.entries)),
    });
  }

  @Get('rumah-tangga/:id/mengapa/:program')
  @Page()
  async why(@Web() web: WebContext, @Param('id', UuidPipe) id: string, @Param('program') program: string): Promise<string> {
    if (!this.catalogue.codes().includes(program)) throw ApiError.notFound({ id: 'Program', en: 'Program' });
    const answer = await this.trails.why(id, program, web.principal!);
    await this.accessLog.record({ principal: web.principal! }, 'household', id, `why ${program}`);
    return this.views.render('audit/mengapa', web, {
      answer,
      programName: this.catalogue.name(program),
      names: await this.users.usernames(actorsOf(answer.chain)),
    });
  }

  @Get('kasus/:kind/:id')
  @Page()
  async caseTrail(@Web() web: WebContext, @Param('kind') kind: string, @Param('id', UuidPipe) id: string): Promise<string> {
    if (!(CASE_KINDS as readonly string[]).includes(kind)) throw ApiError.notFound({ id: 'Jenis kasus', en: 'Case kind' });
    const trail = await this.trails.case(kind as CaseKind, id, web.principal!);
    await this.accessLog.record({ principal: web.principal! }, kind, id, 'timeline page');
    return this.views.render('audit/kasus', web, {
      trail: { ...trail, entries: [...trail.entries].reverse() },
      kind,
      names: await this.users.usernames(actorsOf(trail.entries)),
    });
  }

  @Get('akses')
  @Page()
  async accessLogPage(@Web() web: WebContext, @Query() q: PageQuery): Promise<string> {
    const denied = authorizePermission(web.principal!, 'audit:access-log', '');
    if (denied) throw ApiError.fromRejection(denied);
    const page = q.page ?? 1;
    const log = await this.accessLog.list({ page, pageSize: 50 });
    return this.views.render('audit/akses', web, {
      log,
      page,
      pageSize: 50,
      names: await this.users.usernames(log.items.map((r) => r.userId)),
    });
  }

  private mayRead(web: WebContext): void {
    const denied = authorizePermission(web.principal!, 'audit:read', web.principal!.region);
    if (denied) throw ApiError.fromRejection(denied);
  }

  private async find(query: string): Promise<string | undefined> {
    let holder: string | undefined;
    if (/^\d{16}$/.test(query)) holder = (await this.claims.read(query)).holder;
    else {
      const [row] = await this.dataSource.query(
        'select case_id, household_id from registration_cases where registration_number = $1',
        [query],
      );
      holder = row ? (row.household_id ? `household-${row.household_id}` : `registration-${row.case_id}`) : undefined;
    }
    if (holder?.startsWith('household-')) return `/audit/rumah-tangga/${holder.slice('household-'.length)}`;
    if (holder?.startsWith('registration-')) return `/audit/kasus/registration/${holder.slice('registration-'.length)}`;
    return undefined;
  }
}
