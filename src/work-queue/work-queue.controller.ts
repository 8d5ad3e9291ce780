import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags, IntersectionType, PickType } from '@nestjs/swagger';
import type { Response } from 'express';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { CASE_KINDS } from '../audit/audit.service';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { parsePosition } from '../event-store/position';
import { ReadModelFreshness } from '../projection-runner/read-model-freshness';
import { PagedAfterPositionQuery } from '../shared/http/after-position.dto';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { ExportFormatQuery, sendTable } from '../tabular/tabular-export';
import { WorkQueues } from './work-queue.service';
import { REGION_CODE } from '../shared/http/region-code';

export class QueueQuery extends PagedAfterPositionQuery {
  @IsOptional()
  @Matches(/^[A-Z_]{2,40}$/)
  stage?: string;

  /** A part of the reader's region: a village, district or regency code. */
  @IsOptional()
  @Matches(REGION_CODE)
  villageCode?: string;

  @IsOptional()
  @IsIn(CASE_KINDS)
  caseType?: string;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @IsOptional()
  @IsIn(['me', 'none'])
  assignee?: 'me' | 'none';

  @IsOptional()
  @IsIn(['due', 'age'])
  sort?: 'due' | 'age';
}

class QueueExportQuery extends IntersectionType(
  PickType(QueueQuery, ['stage', 'villageCode', 'caseType', 'overdue', 'assignee'] as const),
  ExportFormatQuery,
) {}

class LoadQuery {
  @IsOptional()
  @Matches(REGION_CODE)
  regionCode?: string;
}

class AssignDto {
  @ApiProperty({ example: 'me', description: '"me" to claim, or a caseworker\'s username (supervisors)' })
  @Matches(/^(me|[a-z0-9._-]{3,40})$/)
  assignee!: string;
}

/** The operators' work queues: what waits for the reader's role in the reader's region. */
@ApiTags('work-queue')
@ApiBearerAuth()
@Controller('api/v1/work-queue')
export class WorkQueueController {
  constructor(
    private readonly queues: WorkQueues,
    private readonly readModels: ReadModelFreshness,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Antrean kerja: kasus yang menunggu peran Anda di wilayah Anda, dengan umur, tenggat SLA dan tanda terlambat / my queue',
  })
  async list(@CurrentPrincipal() p: Principal, @Query() q: QueueQuery): Promise<object> {
    if (q.afterPosition) await this.readModels.waitFor(parsePosition(q.afterPosition)!, ['work-queue']);
    return this.queues.list(p, {
      stage: q.stage,
      villageCode: q.villageCode,
      caseType: q.caseType,
      overdue: q.overdue,
      assignee: q.assignee,
      sort: q.sort ?? 'due',
      page: q.page ?? 1,
      pageSize: q.pageSize ?? 50,
    });
  }

  @Get('export')
  @ApiOperation({
    summary: 'Ekspor antrean (CSV atau XLSX, seluruh hasil filter, dialirkan) / export the queue as CSV or XLSX, streamed',
  })
  async export(@CurrentPrincipal() p: Principal, @Query() q: QueueExportQuery, @Res() res: Response): Promise<void> {
    const table = this.queues.exportTable(
      p,
      { stage: q.stage, villageCode: q.villageCode, caseType: q.caseType, overdue: q.overdue, assignee: q.assignee },
      q.format ?? 'csv',
    );
    await sendTable(res, table);
  }

  @Get('load')
  @ApiOperation({ summary: 'Beban kerja per petugas di wilayah (supervisor) / load per caseworker' })
  load(@CurrentPrincipal() p: Principal, @Query() q: LoadQuery): Promise<object> {
    return this.queues.load(p, q.regionCode);
  }

  @Post(':caseType/:caseId/assignment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ambil kasus ("me") atau tugaskan ke petugas bernama (supervisor) / claim or assign' })
  assign(
    @Param('caseType') caseType: string,
    @Param('caseId', UuidPipe) caseId: string,
    @Body() body: AssignDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<object> {
    return this.queues.assign(caseType, caseId, body.assignee, p);
  }
}
