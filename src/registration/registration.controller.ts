import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { StreamIntegrityChecks } from '../event-store/integrity/stream-integrity';
import { AccessLog, CurrentReader, Reader } from '../audit/access-log';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicantOrStaff, Public } from '../auth/auth.guard';
import { ApplicantTokenHash, CurrentPrincipal } from '../auth/principal.decorator';
import { authorize, authorizePermission } from '../auth/policy';
import { DukcapilService } from '../dukcapil/dukcapil.service';
import { normaliseName } from './application';
import { ProposalDto } from './dto/proposal.dto';
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

/** Opening a case (staff or online), the case list, one case, and tracking by number. */
@ApiTags('registrations')
@ApiBearerAuth()
@Controller('api/v1/registrations')
export class RegistrationController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: RegistrationQueries,
    private readonly readModels: ReadModelFreshness,
    private readonly dukcapil: DukcapilService,
    private readonly accessLog: AccessLog,
    private readonly integrity: StreamIntegrityChecks,
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
    if (body.channel !== 'ONLINE') {
      throw ApiError.badRequest('CHANNEL_ONLINE_ONLY', {
        id: 'Pendaftaran mandiri memakai saluran ONLINE',
        en: 'Self-registration uses the ONLINE channel',
      });
    }
    const resumeToken = randomBytes(24).toString('base64url');
    const applicant: Principal = { userId: 'pemohon', role: 'pemohon', region: '-' };
    return { ...(await this.open(res, { actor: applicant, newApplicantTokenHash: sha256Hex(resumeToken) }, body)), resumeToken };
  }

  @Public()
  @Post('usul')
  @ApiOperation({
    summary: 'Usul warga: mengusulkan tetangga yang membutuhkan (pengusul warga desa yang sama) / propose a needy neighbour',
  })
  async propose(@Body() body: ProposalDto, @Res({ passthrough: true }) res: Response): Promise<CommandResult> {
    const record = (await this.dukcapil.lookup([body.proposer.nik]))[body.proposer.nik];
    if (!record || normaliseName(record.fullName) !== normaliseName(body.proposer.fullName)) {
      throw new ApiError(422, 'PROPOSER_UNKNOWN', {
        id: 'Identitas pengusul tidak cocok dengan data Dukcapil',
        en: 'The proposer does not match the population registry',
      });
    }
    // The proposer acts in the village the registry says they live in; the policy demands it be the proposed one.
    const denied = authorize(
      { userId: 'warga', role: 'pemohon', region: record.villageCode ?? '-' },
      ['pemohon'],
      body.application.villageCode,
    );
    if (denied) throw ApiError.fromRejection(denied);
    const proposer = { fullName: body.proposer.fullName, ...(body.proposer.phone ? { phone: body.proposer.phone } : {}) };
    const draft = { ...body, channel: 'USUL_WARGA' as const, application: { ...body.application, proposer } };
    return this.open(res, { actor: { userId: 'warga', role: 'pemohon', region: '-' } }, draft as SaveDraftDto);
  }

  @Get()
  @ApiOperation({ summary: 'Daftar kasus di wilayah Anda / cases in your region' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CaseListQueryDto): Promise<object> {
    if (query.afterPosition) await this.readModels.waitFor(parsePosition(query.afterPosition)!);
    const { status, regionCode, page = 1, pageSize = 50 } = query;
    return this.queries.list(principal, { status, regionCode, page, pageSize });
  }

  @ApplicantOrStaff()
  @Get(':id')
  @ApiOperation({ summary: 'Satu kasus lengkap (staf wilayahnya, atau pemohon dengan kodenya) / one case' })
  async get(
    @Param('id', UuidPipe) id: string,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() token: string | undefined,
    @CurrentReader() reader: Reader,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object> {
    const view = (await this.queries.get(id, p, token, new Date().toISOString().slice(0, 10))) as { version: number };
    res.setHeader('ETag', `"${view.version}"`);
    if (p.role === 'pemohon') return view;
    await this.accessLog.record(reader, 'registration', id, 'case');
    // Staff decide on this case: they must see when its stream fails its integrity check.
    return { ...view, integrity: await this.integrity.check([`registration-${id}`]) };
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
