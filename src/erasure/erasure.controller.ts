import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { DecideErasureDto, RequestErasureDto } from './dto/erasure.dto';
import { ErasureResult, Erasures } from './erasure.service';
import { DecideErasureCommand, RequestErasureCommand } from './handlers/erasure-command.handlers';
import { LEGAL_BASES } from './legal-basis';

/** Erasure of a household's personal data (UU PDP), asked by one dinsos officer, decided by another. */
@ApiTags('erasure')
@ApiBearerAuth()
@Controller('api/v1')
export class ErasureController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly erasures: Erasures,
  ) {}

  @Get('erasure-legal-bases')
  @ApiOperation({ summary: 'Dasar hukum penghapusan data / legal bases for erasure' })
  legalBases(): object {
    return Object.entries(LEGAL_BASES).map(([code, label]) => ({ code, label }));
  }

  @Post('households/:id/erasure-requests')
  @ApiOperation({ summary: 'Ajukan penghapusan data pribadi rumah tangga (dinsos) / request erasure' })
  request(
    @Param('id', UuidPipe) householdId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: RequestErasureDto,
  ): Promise<ErasureResult> {
    return this.commandBus.execute(new RequestErasureCommand(principal, householdId, body.legalBasis, body.reason));
  }

  @Get('erasure-requests/:id')
  @ApiOperation({ summary: 'Permintaan penghapusan (hanya id dan kode) / an erasure request (ids only)' })
  get(@Param('id', UuidPipe) requestId: string, @CurrentPrincipal() principal: Principal): Promise<object> {
    return this.erasures.get(requestId, principal);
  }

  @Post('erasure-requests/:id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Setujui/tolak penghapusan (dinsos lain: empat mata) / decide (four eyes)' })
  decide(
    @Param('id', UuidPipe) requestId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: DecideErasureDto,
  ): Promise<ErasureResult> {
    return this.commandBus.execute(new DecideErasureCommand(principal, requestId, body.approve, body.expectedVersion));
  }
}
