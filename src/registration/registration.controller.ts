import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicantOrStaff, Public } from '../auth/auth.guard';
import { ApplicantTokenHash, CurrentPrincipal } from '../auth/principal.decorator';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { sha256Hex } from '../auth/tokens.service';
import { ACCEPTED_MEDIA_TYPES, DocumentStore } from '../documents/document-store';
import { IndicatorValues } from '../eligibility/indicators';
import { EvidenceRef } from '../event-store/envelope';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { parsePosition } from '../event-store/position';
import { ReadModelFreshness } from '../projection-runner/read-model-freshness';
import { Application } from './application';
import { CommandBodyDto } from './dto/common.dto';
import { SaveDraftDto } from './dto/application.dto';
import { CaseListQueryDto } from './dto/case-list-query.dto';
import {
  AttachDocumentQuery,
  CheckDocumentsDto,
  DecisionDto,
  FieldVerificationDto,
  ProposeOverrideDto,
  ValidateDto,
} from './dto/decisions.dto';
import { ExecuteRegistrationCommand } from './handlers/registration-command.handler';
import { CommandResult, RegistrationRequest } from './registration-cases.service';
import { RegistrationQueries } from './registration-queries.service';
import { REGISTRATION_NUMBER_PATTERN } from './registration-number';

type Distribute<T> = T extends unknown ? Omit<T, 'actor'> : never;
type Body = Distribute<RegistrationRequest>;

/** The verval commands on one case, one route each (see ACTION_ROUTES), and the case reads. */
@ApiTags('registrations')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'The case version last read: optimistic concurrency' })
@Controller('api/v1/registrations')
export class RegistrationController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queries: RegistrationQueries,
    private readonly documents: DocumentStore,
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
    const caseId = randomUUID();
    return this.run(
      res,
      caseId,
      actor,
      undefined,
      { type: 'saveDraft', caseId, channel: body.channel, application: toApplication(body), reason: body.reason },
      body,
    );
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
    const caseId = randomUUID();
    const resumeToken = randomBytes(24).toString('base64url');
    const actor: Principal = { userId: 'pemohon', role: 'pemohon', region: '-' };
    const request = {
      type: 'saveDraft' as const,
      caseId,
      channel: body.channel,
      application: toApplication(body),
      newApplicantTokenHash: sha256Hex(resumeToken),
    };
    return { ...(await this.run(res, caseId, actor, undefined, request, body)), resumeToken };
  }

  @Get()
  @ApiOperation({ summary: 'Daftar kasus di wilayah Anda / cases in your region' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: CaseListQueryDto): Promise<object> {
    if (query.afterPosition) await this.readModels.waitFor(parsePosition(query.afterPosition)!);
    return this.queries.list(principal, {
      status: query.status,
      regionCode: query.regionCode,
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 50,
    });
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
  async get(
    @Param('id', UuidPipe) id: string,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() token: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object> {
    const view = (await this.queries.get(id, p, token, today())) as { version: number };
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @ApplicantOrStaff()
  @Put(':id/draft')
  saveDraft(
    @Param('id', UuidPipe) id: string,
    @Body() body: SaveDraftDto,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() t: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(
      res,
      id,
      p,
      t,
      { type: 'saveDraft', caseId: id, channel: body.channel, application: toApplication(body), reason: body.reason },
      body,
      ifMatch,
    );
  }

  @ApplicantOrStaff()
  @Post(':id/documents')
  @HttpCode(200)
  @ApiOperation({ summary: `Unggah dokumen (isi berkas sebagai body: ${ACCEPTED_MEDIA_TYPES.join(', ')}) / attach a document` })
  async attach(
    @Param('id', UuidPipe) id: string,
    @Query() q: AttachDocumentQuery,
    @Req() req: Request,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() t: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    const stored = await this.documents.storeUpload(req);
    const document = {
      kind: q.kind,
      sha256: stored.sha256,
      mediaType: stored.mediaType,
      sizeBytes: stored.sizeBytes,
      ...(q.memberIndex !== undefined ? { memberIndex: Number(q.memberIndex) } : {}),
    };
    const evidence: EvidenceRef[] = [{ kind: 'document', sha256: stored.sha256, description: q.kind }];
    return this.run(res, id, p, t, { type: 'attachDocument', document, evidence }, {}, ifMatch);
  }

  @ApplicantOrStaff()
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ajukan: pemeriksaan otomatis (format, Dukcapil, ganda) / submit' })
  submit(
    @Param('id', UuidPipe) id: string,
    @Body() body: CommandBodyDto,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() t: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, t, { type: 'submit', ...common(body) }, body, ifMatch);
  }

  @ApplicantOrStaff()
  @Post(':id/documents/resubmission')
  @HttpCode(200)
  resubmit(
    @Param('id', UuidPipe) id: string,
    @Body() body: CommandBodyDto,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() t: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, t, { type: 'resubmitDocuments', ...common(body) }, body, ifMatch);
  }

  @ApplicantOrStaff()
  @Post(':id/withdrawal')
  @HttpCode(200)
  withdraw(
    @Param('id', UuidPipe) id: string,
    @Body() body: CommandBodyDto,
    @CurrentPrincipal() p: Principal,
    @ApplicantTokenHash() t: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, t, { type: 'withdraw', ...common(body) }, body, ifMatch);
  }

  @Post(':id/document-check')
  @HttpCode(200)
  checkDocuments(
    @Param('id', UuidPipe) id: string,
    @Body() body: CheckDocumentsDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'checkDocuments', complete: body.complete, ...common(body) }, body, ifMatch);
  }

  @Post(':id/validation')
  @HttpCode(200)
  validate(
    @Param('id', UuidPipe) id: string,
    @Body() body: ValidateDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(
      res,
      id,
      p,
      undefined,
      { type: 'validate', valid: body.valid, fieldVisitRequired: body.fieldVisitRequired, fields: body.fields, ...common(body) },
      body,
      ifMatch,
    );
  }

  @Post(':id/field-verification')
  @HttpCode(200)
  fieldVerification(
    @Param('id', UuidPipe) id: string,
    @Body() body: FieldVerificationDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    const request = {
      type: 'recordFieldVerification' as const,
      visitedOn: body.visitedOn,
      indicators: body.indicators as IndicatorValues,
      notes: body.notes,
      ...common(body),
    };
    return this.run(res, id, p, undefined, request, body, ifMatch);
  }

  @Post(':id/eligibility-assessment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Analisis kelayakan dengan model PMT yang berlaku / run the proxy-means test' })
  assess(
    @Param('id', UuidPipe) id: string,
    @Body() body: CommandBodyDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'assessEligibility', ...common(body) }, body, ifMatch);
  }

  @Post(':id/eligibility-override')
  @HttpCode(200)
  @ApiOperation({ summary: 'Usulkan koreksi hasil analisis (perlu persetujuan orang kedua) / propose an override (four-eyes)' })
  proposeOverride(
    @Param('id', UuidPipe) id: string,
    @Body() body: ProposeOverrideDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'proposeOverride', outcome: body.outcome, ...common(body) }, body, ifMatch);
  }

  @Post(':id/eligibility-override/decision')
  @HttpCode(200)
  decideOverride(
    @Param('id', UuidPipe) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'decideOverride', approve: body.approve, ...common(body) }, body, ifMatch);
  }

  @Post(':id/musdes-decision')
  @HttpCode(200)
  decideMusdes(
    @Param('id', UuidPipe) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'decideMusdes', approve: body.approve, ...common(body) }, body, ifMatch);
  }

  @Post(':id/regency-decision')
  @HttpCode(200)
  decideRegency(
    @Param('id', UuidPipe) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'decideRegency', approve: body.approve, ...common(body) }, body, ifMatch);
  }

  @Post(':id/province-decision')
  @HttpCode(200)
  decideProvince(
    @Param('id', UuidPipe) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'decideProvince', approve: body.approve, ...common(body) }, body, ifMatch);
  }

  @Post(':id/establishment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Penetapan Kemensos: membuat rumah tangga di registri / establish the household' })
  establish(
    @Param('id', UuidPipe) id: string,
    @Body() body: DecisionDto,
    @CurrentPrincipal() p: Principal,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CommandResult> {
    return this.run(res, id, p, undefined, { type: 'establish', approve: body.approve, ...common(body) }, body, ifMatch);
  }

  private async run(
    res: Response,
    caseId: string,
    actor: Principal,
    applicantTokenHash: string | undefined,
    request: Body,
    body: CommandBodyDto,
    ifMatch?: string,
  ): Promise<CommandResult> {
    const expectedVersion = parseIfMatch(ifMatch) ?? body.expectedVersion;
    const full = { ...request, actor, ...(applicantTokenHash ? { applicantTokenHash } : {}) } as RegistrationRequest;
    const result: CommandResult = await this.commandBus.execute(
      new ExecuteRegistrationCommand(caseId, full, { expectedVersion }),
    );
    res.setHeader('ETag', `"${result.version}"`);
    return result;
  }
}

function common(body: CommandBodyDto): { reason?: string; evidence?: EvidenceRef[] } {
  return { ...(body.reason ? { reason: body.reason } : {}), ...(body.evidence?.length ? { evidence: body.evidence } : {}) };
}

function toApplication(body: SaveDraftDto): Application {
  const a = body.application;
  return {
    villageCode: a.villageCode,
    kkNumber: a.kkNumber,
    address: a.address,
    contact: { ...(a.contact.phone ? { phone: a.contact.phone } : {}), ...(a.contact.email ? { email: a.contact.email } : {}) },
    members: a.members.map((m) => ({
      nik: m.nik,
      fullName: m.fullName,
      birthDate: m.birthDate,
      sex: m.sex,
      relation: m.relation,
      maritalStatus: m.maritalStatus,
    })),
    declaredIndicators: a.declaredIndicators,
    ...(a.proposer
      ? { proposer: { fullName: a.proposer.fullName, ...(a.proposer.phone ? { phone: a.proposer.phone } : {}) } }
      : {}),
  };
}

/** `If-Match: "3"` (or 3, or W/"3") → 3. A malformed header is a 400, not silently ignored. */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m)
    throw ApiError.badRequest('IF_MATCH_FORMAT', {
      id: 'Header If-Match harus berisi nomor versi',
      en: 'If-Match must hold a version number',
    });
  return Number(m[1]);
}

const today = (): string => new Date().toISOString().slice(0, 10);
