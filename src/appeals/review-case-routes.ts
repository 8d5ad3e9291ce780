import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { CommandBodyDto } from '../registration/dto/common.dto';
import { withReasonAndEvidence } from '../registration/dto/to-domain';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { ReviewKind } from './appeal';
import { AppealResult, Appeals } from './appeals.service';

export class AssignDto extends CommandBodyDto {
  @ApiPropertyOptional({ description: 'The caseworker (user id); default: the one assigning' })
  @IsOptional()
  @IsUUID()
  caseworkerId?: string;
}

export class ReviewDecisionDto extends CommandBodyDto {
  @ApiProperty({ description: 'true = dikabulkan (upheld), false = ditolak (dismissed)' })
  @IsBoolean()
  uphold!: boolean;
}

/**
 * The routes appeals and objections share: a regency caseworker takes the case, then decides it
 * (the assigned one only, with a reason). Each controller names its kind.
 */
export abstract class ReviewCaseRoutes {
  protected constructor(
    protected readonly appeals: Appeals,
    private readonly kind: ReviewKind,
  ) {}

  @ApiBearerAuth()
  @Post(':id/assignment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Tugaskan petugas dinsos / assign a regency caseworker' })
  assign(
    @Param('id', UuidPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Body() body: AssignDto,
  ): Promise<AppealResult> {
    return this.appeals.assign(
      id,
      body.caseworkerId ?? actor.userId,
      { actor, ...withReasonAndEvidence(body) },
      body.expectedVersion,
      this.kind,
    );
  }

  @ApiBearerAuth()
  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Putuskan (petugas yang ditugaskan; alasan wajib) / decide (the assigned caseworker; reason required)',
  })
  decide(
    @Param('id', UuidPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Body() body: ReviewDecisionDto,
  ): Promise<AppealResult> {
    return this.appeals.decide(id, body.uphold, { actor, ...withReasonAndEvidence(body) }, body.expectedVersion, this.kind);
  }
}
