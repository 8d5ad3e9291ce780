import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { DTSEN_CLASSES, DtsenClass } from '../eligibility/pmt';
import { COMPOSITION, CompositionCondition, ProgramRule } from './program-rules';
import { Public } from '../auth/auth.guard';
import { authorizePermission, Permission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { EnrolmentState } from './enrolment/decider';
import { Enrolments, RulePreview } from './enrolments.service';
import { ProgramCatalogue } from './program-catalogue';

class SetQuotaDto {
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  quota!: number;

  /** Preview: who would enter from the waitlist; nothing is written. */
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

class RuleCandidateDto {
  @IsString()
  @MaxLength(20)
  version!: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveFrom!: string;

  @IsInt()
  @Min(1)
  @Max(10)
  maxDesil!: number;

  @IsArray()
  @IsIn(DTSEN_CLASSES, { each: true })
  classes!: DtsenClass[];

  @IsArray()
  @IsIn(Object.keys(COMPOSITION), { each: true })
  anyOf!: CompositionCondition[];
}

class ApproveListDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

const REGENCY = /^\d{2}\.\d{2}$/;
const PERIOD = /^\d{4}-Q[1-4]$/;

function listView(state: EnrolmentState, version: number): object {
  return {
    quota: state.quota ?? null,
    approved: state.approved,
    version,
    enrolled: [...state.enrolled.values()],
    waitlist: state.waitlist.map((e, i) => ({ ...e, rank: i + 1 })),
  };
}

/** Programs, their quotas per regency and quarter, and the recipient lists. */
@ApiTags('programs')
@Controller('api/v1/programs')
export class ProgramsController {
  constructor(
    private readonly catalogue: ProgramCatalogue,
    private readonly enrolments: Enrolments,
    private readonly dataSource: DataSource,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Program dan aturan kelayakannya (berversi) / programs and their versioned rules' })
  programs(): object {
    return this.catalogue.all();
  }

  @ApiBearerAuth()
  @Put(':code/quotas/:regency/:period')
  @ApiOperation({ summary: 'Tetapkan kuota program untuk kabupaten/kota dan triwulan (Kemensos) / set a quota' })
  async setQuota(
    @Param('code') code: string,
    @Param('regency') regency: string,
    @Param('period') period: string,
    @CurrentPrincipal() p: Principal,
    @Body() body: SetQuotaDto,
  ): Promise<object> {
    this.check(p, 'programs:set-quota', regency, period);
    if (body.dryRun) {
      const preview = await this.enrolments.previewQuota(code, regency, period, body.quota, p);
      return { dryRun: true, wouldEnrol: preview.wouldEnrol, wouldStayWaiting: preview.wouldStayWaiting };
    }
    const { position, state, batchId } = await this.enrolments.setQuota(code, regency, period, body.quota, p, body.reason);
    return { position, batchId, ...listView(state, -1) };
  }

  @ApiBearerAuth()
  @Post(':code/lists/:regency/:period/approval')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Setujui daftar penerima periode; perubahan sesudahnya berlaku periode berikutnya / approve a period list',
  })
  async approve(
    @Param('code') code: string,
    @Param('regency') regency: string,
    @Param('period') period: string,
    @CurrentPrincipal() p: Principal,
    @Body() body: ApproveListDto,
  ): Promise<object> {
    this.check(p, 'programs:approve-list', regency, period);
    const { position, state } = await this.enrolments.approveList(code, regency, period, p, body.reason);
    return { position, ...listView(state, -1) };
  }

  @ApiBearerAuth()
  @Post(':code/rule-preview/:regency/:period')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Pratinjau versi aturan baru: siapa masuk, keluar, bergeser di daftar tunggu; tidak menulis apa pun / dry run of a new rule version',
  })
  async previewRule(
    @Param('code') code: string,
    @Param('regency') regency: string,
    @Param('period') period: string,
    @CurrentPrincipal() p: Principal,
    @Body() body: RuleCandidateDto,
  ): Promise<RulePreview> {
    this.check(p, 'programs:set-quota', regency, period);
    const candidate: ProgramRule = {
      code,
      version: body.version,
      effectiveFrom: body.effectiveFrom,
      name: { id: code, en: code },
      maxDesil: body.maxDesil,
      classes: body.classes,
      anyOf: body.anyOf,
    };
    const rows: Array<{ household_id: string }> = await this.dataSource.query(
      `select household_id from households where active and (village_code like $1) order by established_at limit 200000`,
      [`${regency}.%`],
    );
    return this.enrolments.previewRule(
      candidate,
      regency,
      period,
      rows.map((r) => r.household_id),
      new Date().toISOString().slice(0, 10),
    );
  }

  @ApiBearerAuth()
  @Get(':code/lists/:regency/:period')
  @ApiOperation({ summary: 'Daftar penerima dan daftar tunggu / recipients and waitlist' })
  async list(
    @Param('code') code: string,
    @Param('regency') regency: string,
    @Param('period') period: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<object> {
    this.check(p, 'programs:read-list', regency, period);
    const { state, version } = await this.enrolments.list(code, regency, period);
    return listView(state, version);
  }

  private check(p: Principal, permission: Permission, regency: string, period: string): void {
    if (!REGENCY.test(regency) || !PERIOD.test(period)) {
      throw ApiError.badRequest('VALIDATION_FAILED', {
        id: 'Kode kabupaten (32.04) atau periode (2026-Q4) tidak valid',
        en: 'Invalid regency code (32.04) or period (2026-Q4)',
      });
    }
    const denied = authorizePermission(p, permission, regency);
    if (denied) throw ApiError.fromRejection(denied);
  }
}
