import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { LEGAL_BASIS_CODES, LegalBasis } from '../legal-basis';

/** An erasure request: the legal basis as a code, and why, without personal data. */
export class RequestErasureDto {
  @ApiProperty({ enum: LEGAL_BASIS_CODES })
  @IsIn(LEGAL_BASIS_CODES)
  legalBasis!: LegalBasis;

  @ApiProperty({
    description: 'Alasan tanpa data pribadi (tanpa nama, NIK, No. KK) / reason without personal data',
    minLength: 10,
    maxLength: 500,
  })
  @IsString()
  @MinLength(10)
  @MaxLength(500)
  reason!: string;
}

/** The second officer's decision. */
export class DecideErasureDto {
  @ApiProperty()
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional({ description: 'Optimistic concurrency: the version last read' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}
