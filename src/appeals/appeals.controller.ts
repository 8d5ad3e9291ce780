import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { CommandBodyDto } from '../registration/dto/common.dto';
import { withReasonAndEvidence } from '../registration/dto/to-domain';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { AppealResult, Appeals } from './appeals.service';
import { ReviewCaseRoutes } from './review-case-routes';

class FileAppealDto extends CommandBodyDto {
  @ApiProperty({ enum: ['TIDAK_LAYAK', 'RANKING', 'EXIT'] })
  @IsIn(['TIDAK_LAYAK', 'RANKING', 'EXIT'])
  type!: 'TIDAK_LAYAK' | 'RANKING' | 'EXIT';

  @ApiPropertyOptional({ description: 'TIDAK_LAYAK: the registration case' })
  @IsOptional()
  @IsUUID()
  registrationCaseId?: string;

  @ApiPropertyOptional({ description: 'RANKING: the household; EXIT: the household, program and period' })
  @IsOptional()
  @IsUUID()
  householdId?: string;

  @ApiPropertyOptional({ example: 'PKH' })
  @IsOptional()
  @Matches(/^[A-Z0-9-]{2,30}$/)
  program?: string;

  @ApiPropertyOptional({ example: '2026-Q4' })
  @IsOptional()
  @Matches(/^\d{4}-Q[1-4]$/)
  period?: string;
}

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('api/v1/appeals')
export class AppealsController extends ReviewCaseRoutes {
  constructor(appeals: Appeals) {
    super(appeals, 'banding');
  }

  @Post()
  @ApiOperation({ summary: 'Ajukan banding atas hasil Tidak Layak, peringkat (desil) atau keluar dari program / file an appeal' })
  file(@CurrentPrincipal() actor: Principal, @Body() body: FileAppealDto): Promise<AppealResult> {
    const why = { actor, ...withReasonAndEvidence(body) };
    if (body.type === 'TIDAK_LAYAK' && body.registrationCaseId)
      return this.appeals.file({ type: 'TIDAK_LAYAK', registrationCaseId: body.registrationCaseId }, why);
    if (body.type === 'RANKING' && body.householdId)
      return this.appeals.file({ type: 'RANKING', householdId: body.householdId }, why);
    if (body.type === 'EXIT' && body.householdId && body.program && body.period) {
      return this.appeals.file({ type: 'EXIT', householdId: body.householdId, program: body.program, period: body.period }, why);
    }
    throw ApiError.badRequest('VALIDATION_FAILED', {
      id: 'TIDAK_LAYAK butuh registrationCaseId; RANKING butuh householdId; EXIT butuh householdId, program, period',
      en: 'TIDAK_LAYAK needs registrationCaseId; RANKING needs householdId; EXIT needs householdId, program, period',
    });
  }

  @Get(':id')
  async get(@Param('id', UuidPipe) id: string, @CurrentPrincipal() p: Principal): Promise<object> {
    const { state, version } = await this.appeals.load(id);
    if (state.status === 'NONE') throw ApiError.notFound({ id: 'Banding', en: 'Appeal' });
    const denied = authorizePermission(p, 'households:read', state.villageCode!);
    if (denied) throw ApiError.fromRejection(denied);
    return {
      ...state,
      version,
      overdue:
        state.status === 'DIPROSES' || state.status === 'DIAJUKAN'
          ? new Date().toISOString().slice(0, 10) > state.dueOn!
          : undefined,
    };
  }
}
