import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal, ROLE_LABELS } from '../auth/roles';
import { BatchResult } from './batch-decisions.service';
import { BatchDecisionDto } from './dto/decisions.dto';
import { DecideBatch } from './handlers/batch-decision.handler';
import { ACTION_ROUTES, RoutedAction } from './registration-routes';
import {
  APPROVAL_LEVELS,
  VERVAL_MACHINE_VERSION,
  VERVAL_STATES,
  VERVAL_TRANSITIONS,
  VervalAction,
  vervalMermaid,
} from './verval-state-machine';

function routeOf(action: VervalAction): { method: string; path: string } | null {
  const route = ACTION_ROUTES[action as RoutedAction];
  return route ? { method: route.method, path: `/api/v1/registrations/${route.path}` } : null;
}

@ApiTags('verval')
@Controller('api/v1/verval')
export class VervalController {
  constructor(private readonly commandBus: CommandBus) {}

  @Public()
  @Get('state-machine')
  @ApiOperation({ summary: 'Mesin status verval: tahap, transisi, peran yang berwenang / the verval state machine' })
  stateMachine(): object {
    return {
      version: VERVAL_MACHINE_VERSION,
      states: Object.entries(VERVAL_STATES).map(([code, s]) => ({
        code,
        label: { id: s.id, en: s.en },
        stage: s.stage,
        terminal: s.terminal,
      })),
      transitions: VERVAL_TRANSITIONS.map((t) => ({ ...t, route: routeOf(t.action) })),
      approvalChain: APPROVAL_LEVELS,
      roles: ROLE_LABELS,
      mermaid: vervalMermaid(),
    };
  }

  @ApiBearerAuth()
  @Post('batches')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Keputusan per batch (musdes, kabupaten, provinsi, penetapan); dryRun untuk pratinjau / batch decision',
  })
  batch(@CurrentPrincipal() actor: Principal, @Body() body: BatchDecisionDto): Promise<BatchResult> {
    return this.commandBus.execute(
      new DecideBatch({
        action: body.action,
        approve: body.approve,
        actor,
        reason: body.reason,
        evidence: body.evidence,
        caseIds: body.caseIds,
        regionCode: body.regionCode,
        period: body.period,
        dryRun: body.dryRun ?? false,
      }),
    );
  }
}
