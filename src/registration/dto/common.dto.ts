import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';

export class EvidenceDto {
  @ApiPropertyOptional({ enum: ['document', 'link'] })
  @IsIn(['document', 'link'])
  kind!: 'document' | 'link';

  @ApiPropertyOptional({ description: 'SHA-256 of a stored document (POST /api/v1/documents)' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** What every command body may carry: why, the evidence, and the version the client saw. */
export class CommandBodyDto {
  @ApiPropertyOptional({ description: 'Alasan / reason (required by some transitions)', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ type: [EvidenceDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  @ArrayMaxSize(50)
  evidence?: EvidenceDto[];

  @ApiPropertyOptional({ description: 'Optimistic concurrency: the version last read (or send If-Match)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}
