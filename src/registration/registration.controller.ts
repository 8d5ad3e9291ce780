import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicantOrStaff, Public } from '../auth/auth.guard';
import { ApplicantTokenHash, CurrentPrincipal } from '../auth/principal.decorator';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { sha256Hex } from '../auth/tokens.service';
import { parsePosition } from '../event-store/position';
import { ReadModelFreshness } from '../projection-runner/read-model-freshness';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { SaveDraftDto } from './dto/application.dto';
import { CaseListQueryDto } from './dto/case-list-query.dto';
import { toApplication, withReasonAndEvidence } from './dto/to-domain';
import { ExecuteRegistrationCommand } from './handlers/registration-command.handler';
import { CommandResult, RegistrationRequest } from './registration-cases.service';
import { RegistrationQueries } from './registration-queries.service';
import { REGISTRATION_NUMBER_PATTERN } from './registration-number';

/** Opening a case (staff or online), the case list, one case, and tracking by number. */
@ApiTags('registrations')
@ApiBearerAuth()
@Controller('api/v1/registrations')
export class RegistrationController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: RegistrationQueries,
    private readonly readModels: ReadModelFreshness,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Buat draf pendaftaran (operator desa, pendamping) / create a draft' })
  async create(
    @CurrentPrincipal() actor: Principal,
    @Body() body: SaveDraftDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    const denied = authorizePermission(actor, 'registrations:create', body.application.villageCode);
    if (denied) throw ApiError.fromRejection(denied);
    return this.open(res, { actor, ...withReasonAndEvidence(body) }, body);
  }

  @Public()
  @Post('mandiri')
  @ApiOperation({
    summary: 'Pendaftaran mandiri (online): membuat draf dan kode akses untuk melanjutkan / online self-registration',
  })
  async createOnline(
    @Body() body: SaveDraftDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult & { resumeToken: string }> {
    const resumeToken = randomBytes(24).toString('base64url');
    const applicant: Principal = { userId: 'pemohon', role: 'pemohon', region: '-' };
    return { ...(await this.open(res, { actor: applicant, newApplicantTokenHash: sha256Hex(resumeToken) }, body)), resumeToken };
  }

  @Get()
  @ApiOperation({ summary: 'Daftar kasus di wilayah Anda / cases in your region' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CaseListQueryDto): Promise<object> {
    if (query.afterPosition) await this.readModels.waitFor(parsePosition(query.afterPosition)!);
    const { status, regionCode, page = 1, pageSize = 50 } = query;
    return this.queries.list(principal, { status, regionCode, page, pageSize });
  }

  @Public()
  @Get('tracking/:registrationNumber')
  @ApiOperation({ summary: 'Lacak tahap pendaftaran dengan nomor pendaftaran / track by registration number' })
  track(@Param('registrationNumber') number: string): Promise<object> {
    if (!REGISTRATION_NUMBER_PATTERN.test(number)) {
      throw ApiError.badRequest('REGISTRATION_NUMBER_FORMAT', {
        id: 'Format nomor pendaftaran tidak valid',
        en: 'Invalid registration number format',
      });
    }
    return this.queries.trackByNumber(number);
  }

  @ApplicantOrStaff()
  @Get(':id')
  @ApiOperation({ summary: 'Satu kasus lengkap (staf wilayahnya, atau pemohon dengan kodenya) / one case' })
  async get(
    @Param('id', UuidPipe) id: string,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() token: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object> {
    const view = (await this.queries.get(id, p, token, new Date().toISOString().slice(0, 10))) as { version: number };
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  /** A new case: its first event is the draft. */
  private async open(
    res: Response,
    who: { actor: Principal; newApplicantTokenHash?: string; reason?: string },
    body: SaveDraftDto,
  ): Promise<CommandResult> {
    const caseId = randomUUID();
    const request = {
      type: 'saveDraft',
      caseId,
      channel: body.channel,
      application: toApplication(body),
      ...who,
    } as RegistrationRequest;
    const result: CommandResult = await this.commandBus.execute(new ExecuteRegistrationCommand(caseId, request, {}));
    res.setHeader('ETag', `"${result.version}"`);
    return result;
  }
}
