import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AccessLog, CurrentReader, Reader } from '../audit/access-log';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { householdDecider } from '../household/decider';
import { HouseholdEvent } from '../household/events';
import { fold } from '../shared/decider';
import { householdStreamId } from '../registration/registration-cases.service';
import { withReasonAndEvidence } from '../registration/dto/to-domain';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { DecideStatusChangeDto, RequestStatusChangeDto, toDetails } from './dto/status-change.dto';
import { StatusChangeResult, StatusChanges } from './status-changes.service';
import { Inject } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../event-store/port';

@ApiTags('households')
@ApiBearerAuth()
@Controller('api/v1')
export class StatusChangesController {
  constructor(
    private readonly changes: StatusChanges,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly accessLog: AccessLog,
  ) {}

  @Get('households/:id')
  @ApiOperation({ summary: 'Rumah tangga di registri (staf wilayahnya) / a household in the registry' })
  async household(@Param('id', UuidPipe) id: string, @CurrentReader() reader: Reader): Promise<object> {
    const p = reader.principal;
    const events = await this.store.readStream(householdStreamId(id));
    const state = fold(householdDecider, events as unknown as HouseholdEvent[]);
    const version = events.at(-1)?.streamVersion ?? 0;
    if (!state.exists) throw ApiError.notFound({ id: 'Rumah tangga', en: 'Household' });
    const denied = authorizePermission(p, 'households:read', state.villageCode!);
    if (denied) throw ApiError.fromRejection(denied);
    await this.accessLog.record(reader, 'household', id, 'household');
    const e = state.established!;
    return {
      householdId: id,
      version,
      active: state.active,
      deactivationReason: state.deactivationReason ?? null,
      villageCode: state.villageCode,
      desil: state.desil,
      classification: state.classification,
      establishedOn: e.establishedOn,
      registrationNumber: e.registrationNumber,
      members: state.members,
      // Its personal data was erased (UU PDP): the texts read "[dihapus]", the decisions remain.
      erased: events.some((e) => e.erasedFields.length > 0),
    };
  }

  @Post('households/:id/status-changes')
  @ApiOperation({
    summary: 'Ajukan perubahan status (meninggal, kelahiran, pindah, graduasi, sudah mampu, ganda) / request a status change',
  })
  async request(
    @Param('id', UuidPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Body() body: RequestStatusChangeDto,
  ): Promise<StatusChangeResult> {
    const source = body.followsReviewId ? await this.changes.followingUp(body.followsReviewId, id) : { type: 'PETUGAS' as const };
    return this.changes.request(id, toDetails(body), source, { actor, ...withReasonAndEvidence(body) });
  }

  @Get('status-changes/:id')
  async get(@Param('id', UuidPipe) id: string, @CurrentReader() reader: Reader): Promise<object> {
    const { state, version } = await this.changes.load(id);
    if (state.status === 'NONE') throw ApiError.notFound({ id: 'Kasus perubahan', en: 'Status-change case' });
    const denied = authorizePermission(reader.principal, 'households:read', state.villageCode!);
    if (denied) throw ApiError.fromRejection(denied);
    await this.accessLog.record(reader, 'statuschange', id, 'case'); // a birth or a move carries personal data
    return { ...state, version };
  }

  @Post('status-changes/:id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Putuskan perubahan status (dinsos; alasan, bukti bila disetujui) / decide a status change' })
  decide(
    @Param('id', UuidPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Body() body: DecideStatusChangeDto,
  ): Promise<StatusChangeResult> {
    return this.changes.decide(id, body.approve, { actor, ...withReasonAndEvidence(body) }, body.expectedVersion);
  }
}
