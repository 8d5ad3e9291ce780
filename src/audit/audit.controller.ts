import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { parsePosition } from '../event-store/position';
import { ReadModelFreshness } from '../projection-runner/read-model-freshness';
import { AfterPositionQuery } from '../shared/http/after-position.dto';
import { ApiError } from '../shared/http/api-error';
import { PageQuery } from '../shared/http/page.dto';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { AccessLog, CurrentReader, Reader } from './access-log';
import { AuditTrails, CASE_KINDS, CaseKind, Trail } from './audit.service';
import { trailCsv, trailHtml } from './trail-export';
import { REGION_TRAIL_HEADER, RegionTrails } from './region-trail';
import { ExportFormatQuery, sendTable } from '../tabular/tabular-export';
import { REGION_CODE } from '../shared/http/region-code';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

class TrailQuery extends AfterPositionQuery {
  /** json (default), csv, or html (a printable page; print it to PDF). */
  @IsOptional()
  @IsIn(['json', 'csv', 'html'])
  format?: 'json' | 'csv' | 'html';

  @IsOptional()
  @IsIn(['id', 'en'])
  lang?: 'id' | 'en';
}

class WhyQuery extends AfterPositionQuery {
  @IsOptional()
  @IsIn(['json', 'text'])
  format?: 'json' | 'text';

  @IsOptional()
  @IsIn(['id', 'en'])
  lang?: 'id' | 'en';
}

class AsOfQuery extends AfterPositionQuery {
  /** The facts that had happened by this date (YYYY-MM-DD). */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date?: string;

  /** Only what had been recorded by this moment (ISO 8601). */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/)
  knownAt?: string;
}

class RegionTrailQuery extends ExportFormatQuery {
  /** A region within the reader's own (default: the reader's region). */
  @IsOptional()
  @Matches(REGION_CODE)
  regionCode?: string;

  /** Only entries recorded on or after this day (YYYY-MM-DD). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DAY)
  from?: string;

  /** Only entries recorded on or before this day (YYYY-MM-DD). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DAY)
  to?: string;

  @IsOptional()
  @IsIn(['id', 'en'])
  lang?: 'id' | 'en';
}

class AccessLogQuery extends PageQuery {
  /** A household or case id, or a region code (or `nasional`) for a region's export. */
  @IsOptional()
  @Matches(/^([0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?|nasional)$/i, {
    message: 'subjectId: a household or case id, or a region code',
  })
  subjectId?: string;

  @IsOptional()
  @Matches(/^[\w.:-]{1,80}$/)
  userId?: string;
}

const PURPOSE = { name: 'X-Purpose', required: false, description: 'Why the record is read (kept in the access log)' };

/** Audit trails, "why" answers and time travel for staff of the region; the access log for auditors. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly trails: AuditTrails,
    private readonly accessLog: AccessLog,
    private readonly readModels: ReadModelFreshness,
    private readonly regionTrails: RegionTrails,
  ) {}

  @Get('households/:id/timeline')
  @ApiHeader(PURPOSE)
  @ApiOperation({
    summary: 'Jejak audit rumah tangga (JSON, CSV, halaman cetak) dengan pemeriksaan rantai hash / household trail',
  })
  async householdTrail(
    @Param('id', UuidPipe) id: string,
    @Query() q: TrailQuery,
    @CurrentReader() reader: Reader,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Trail | string> {
    await this.caughtUp(q);
    const trail = await this.trails.household(id, reader.principal);
    await this.accessLog.record(reader, 'household', id, 'timeline');
    return render(trail, q, res);
  }

  @Get('households/:id/why/:program')
  @ApiHeader(PURPOSE)
  @ApiOperation({ summary: 'Mengapa rumah tangga ini menerima / menunggu / keluar dari program / why, per program' })
  async why(
    @Param('id', UuidPipe) id: string,
    @Param('program') program: string,
    @Query() q: WhyQuery,
    @CurrentReader() reader: Reader,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object | string> {
    if (!/^[A-Z0-9-]{2,30}$/.test(program))
      throw ApiError.badRequest('PROGRAM_CODE', { id: 'Kode program tidak valid', en: 'Invalid program code' });
    await this.caughtUp(q);
    const answer = await this.trails.why(id, program, reader.principal);
    await this.accessLog.record(reader, 'household', id, `why ${program}`);
    if (q.format !== 'text') return answer;
    res.type('text/plain; charset=utf-8');
    const lang = q.lang ?? 'id';
    return answer.integrity.intact ? answer.text[lang] : `${answer.integrity.message[lang]}\n\n${answer.text[lang]}`;
  }

  @Get('households/:id/as-of')
  @ApiHeader(PURPOSE)
  @ApiOperation({
    summary: 'Keadaan rumah tangga dan programnya per tanggal (berlaku) dan/atau menurut catatan pada suatu waktu / time travel',
  })
  async asOf(@Param('id', UuidPipe) id: string, @Query() q: AsOfQuery, @CurrentReader() reader: Reader): Promise<object> {
    if (!q.date && !q.knownAt)
      throw ApiError.badRequest('AS_OF_REQUIRED', { id: 'Isi date dan/atau knownAt', en: 'Give date and/or knownAt' });
    await this.caughtUp(q);
    const result = await this.trails.asOf(id, { asOf: q.date, knownAt: q.knownAt }, reader.principal);
    await this.accessLog.record(reader, 'household', id, `as-of ${q.date ?? ''} ${q.knownAt ?? ''}`.trim());
    return result;
  }

  @Get('cases/:kind/:id/timeline')
  @ApiHeader(PURPOSE)
  @ApiOperation({ summary: 'Jejak audit satu kasus (pendaftaran, perubahan status, banding, sanggah) / case trail' })
  async caseTrail(
    @Param('kind') kind: string,
    @Param('id', UuidPipe) id: string,
    @Query() q: TrailQuery,
    @CurrentReader() reader: Reader,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Trail | string> {
    if (!(CASE_KINDS as readonly string[]).includes(kind))
      throw ApiError.badRequest('CASE_KIND', {
        id: `Jenis kasus: ${CASE_KINDS.join(', ')}`,
        en: `Case kind: ${CASE_KINDS.join(', ')}`,
      });
    await this.caughtUp(q);
    const trail = await this.trails.case(kind as CaseKind, id, reader.principal);
    await this.accessLog.record(reader, kind, id, 'timeline');
    return render(trail, q, res);
  }

  @Get('export')
  @ApiHeader(PURPOSE)
  @ApiOperation({
    summary:
      "Jejak audit sebuah wilayah (CSV/XLSX, dialirkan): setiap peristiwa rumah tangga dan kasusnya / a region's audit trail, streamed",
  })
  async regionTrail(@Query() q: RegionTrailQuery, @CurrentReader() reader: Reader, @Res() res: Response): Promise<void> {
    const region = q.regionCode ?? reader.principal.region;
    const denied = authorizePermission(reader.principal, 'audit:read', region);
    if (denied) throw ApiError.fromRejection(denied);
    if (q.from && q.to && q.from > q.to)
      throw ApiError.badRequest('PERIOD_REVERSED', { id: 'Tanggal "from" setelah "to"', en: '"from" is after "to"' });
    await this.accessLog.record(reader, 'region', region || 'nasional', `audit export ${q.from ?? ''}..${q.to ?? ''}`);
    await sendTable(res, {
      format: q.format ?? 'csv',
      filename: `jejak-audit-${region || 'nasional'}-${q.from ?? 'awal'}-${q.to ?? 'kini'}`,
      header: REGION_TRAIL_HEADER,
      pages: this.regionTrails.pages({ region, from: q.from, to: q.to, lang: q.lang ?? 'id' }, reader.principal),
    });
  }

  @Get('access-log')
  @ApiOperation({ summary: 'Log akses staf ke data pribadi (auditor) / who read personal data' })
  accessLogPage(@Query() q: AccessLogQuery, @CurrentPrincipal() p: Principal): Promise<object> {
    const denied = authorizePermission(p, 'audit:access-log', '');
    if (denied) throw ApiError.fromRejection(denied);
    return this.accessLog.list({ subjectId: q.subjectId, userId: q.userId, page: q.page ?? 1, pageSize: q.pageSize ?? 50 });
  }

  private async caughtUp(q: AfterPositionQuery): Promise<void> {
    if (q.afterPosition) await this.readModels.waitFor(parsePosition(q.afterPosition)!, ['audit-links']);
  }
}

function render(trail: Trail, q: TrailQuery, res: Response): Trail | string {
  const name = `jejak-${trail.subject.type}-${trail.subject.id}`;
  if (q.format === 'csv') {
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    return trailCsv(trail, q.lang);
  }
  if (q.format === 'html') {
    res.type('text/html; charset=utf-8');
    return trailHtml(trail, q.lang);
  }
  return trail;
}
