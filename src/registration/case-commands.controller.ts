import { Body, Controller, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DocumentStore } from '../documents/document-store';
import { IndicatorValues } from '../eligibility/indicators';
import { Case, CaseCall, CaseRoute } from './case-command.decorators';
import { SaveDraftDto } from './dto/application.dto';
import { CommandBodyDto } from './dto/common.dto';
import {
  AttachDocumentQuery,
  CheckDocumentsDto,
  DecisionDto,
  FieldVerificationDto,
  ProposeOverrideDto,
  ValidateDto,
} from './dto/decisions.dto';
import { ExecuteRegistrationCommand } from './handlers/registration-command.handler';
import { toApplication, withReasonAndEvidence } from './dto/to-domain';
import { CommandResult, RegistrationRequest } from './registration-cases.service';

type WithoutActor<T> = T extends unknown ? Omit<T, 'actor'> : never;

/** One route per verval action on an existing case (see ACTION_ROUTES); the decider does the rest. */
@ApiTags('registrations')
@ApiBearerAuth()
@Controller('api/v1/registrations')
export class CaseCommandsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly documents: DocumentStore,
  ) {}

  @CaseRoute('saveDraft')
  saveDraft(@Case() call: CaseCall, @Body() body: SaveDraftDto): Promise<CommandResult> {
    return this.run(
      call,
      {
        type: 'saveDraft',
        caseId: call.caseId,
        channel: body.channel,
        application: toApplication(body),
        ...withReasonAndEvidence(body),
      },
      body,
    );
  }

  @CaseRoute('attachDocument')
  async attach(@Case() call: CaseCall, @Query() q: AttachDocumentQuery, @Req() req: Request): Promise<CommandResult> {
    const stored = await this.documents.storeUpload(req);
    const memberIndex = q.memberIndex !== undefined ? { memberIndex: Number(q.memberIndex) } : {};
    const document = {
      kind: q.kind,
      sha256: stored.sha256,
      mediaType: stored.mediaType,
      sizeBytes: stored.sizeBytes,
      ...memberIndex,
    };
    return this.run(
      call,
      { type: 'attachDocument', document, evidence: [{ kind: 'document', sha256: stored.sha256, description: q.kind }] },
      {},
    );
  }

  @CaseRoute('submit')
  submit(@Case() call: CaseCall, @Body() body: CommandBodyDto): Promise<CommandResult> {
    return this.run(call, { type: 'submit', ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('resubmitDocuments')
  resubmit(@Case() call: CaseCall, @Body() body: CommandBodyDto): Promise<CommandResult> {
    return this.run(call, { type: 'resubmitDocuments', ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('withdraw')
  withdraw(@Case() call: CaseCall, @Body() body: CommandBodyDto): Promise<CommandResult> {
    return this.run(call, { type: 'withdraw', ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('checkDocuments')
  checkDocuments(@Case() call: CaseCall, @Body() body: CheckDocumentsDto): Promise<CommandResult> {
    return this.run(call, { type: 'checkDocuments', complete: body.complete, ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('validate')
  validate(@Case() call: CaseCall, @Body() body: ValidateDto): Promise<CommandResult> {
    const { valid, fieldVisitRequired, fields } = body;
    return this.run(call, { type: 'validate', valid, fieldVisitRequired, fields, ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('recordFieldVerification')
  fieldVerification(@Case() call: CaseCall, @Body() body: FieldVerificationDto): Promise<CommandResult> {
    const visit = { visitedOn: body.visitedOn, indicators: body.indicators as IndicatorValues, notes: body.notes };
    return this.run(call, { type: 'recordFieldVerification', ...visit, ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('assessEligibility')
  assess(@Case() call: CaseCall, @Body() body: CommandBodyDto): Promise<CommandResult> {
    return this.run(call, { type: 'assessEligibility', ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('proposeOverride')
  proposeOverride(@Case() call: CaseCall, @Body() body: ProposeOverrideDto): Promise<CommandResult> {
    return this.run(call, { type: 'proposeOverride', outcome: body.outcome, ...withReasonAndEvidence(body) }, body);
  }

  @CaseRoute('decideOverride')
  decideOverride(@Case() call: CaseCall, @Body() body: DecisionDto): Promise<CommandResult> {
    return this.decision(call, 'decideOverride', body);
  }

  @CaseRoute('decideMusdes')
  decideMusdes(@Case() call: CaseCall, @Body() body: DecisionDto): Promise<CommandResult> {
    return this.decision(call, 'decideMusdes', body);
  }

  @CaseRoute('decideRegency')
  decideRegency(@Case() call: CaseCall, @Body() body: DecisionDto): Promise<CommandResult> {
    return this.decision(call, 'decideRegency', body);
  }

  @CaseRoute('decideProvince')
  decideProvince(@Case() call: CaseCall, @Body() body: DecisionDto): Promise<CommandResult> {
    return this.decision(call, 'decideProvince', body);
  }

  @CaseRoute('establish')
  establish(@Case() call: CaseCall, @Body() body: DecisionDto): Promise<CommandResult> {
    return this.decision(call, 'establish', body);
  }

  private decision(
    call: CaseCall,
    type: 'decideOverride' | 'decideMusdes' | 'decideRegency' | 'decideProvince' | 'establish',
    body: DecisionDto,
  ): Promise<CommandResult> {
    return this.run(
      call,
      { type, approve: body.approve, ...withReasonAndEvidence(body) } as WithoutActor<RegistrationRequest>,
      body,
    );
  }

  private async run(call: CaseCall, request: WithoutActor<RegistrationRequest>, body: CommandBodyDto): Promise<CommandResult> {
    const full = {
      ...request,
      actor: call.actor,
      ...(call.applicantTokenHash ? { applicantTokenHash: call.applicantTokenHash } : {}),
    } as RegistrationRequest;
    const options = { expectedVersion: call.expectedVersion ?? body.expectedVersion };
    const result: CommandResult = await this.commandBus.execute(new ExecuteRegistrationCommand(call.caseId, full, options));
    call.res.setHeader('ETag', `"${result.version}"`);
    return result;
  }
}
