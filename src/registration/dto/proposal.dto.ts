import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ApplicationDto } from './application.dto';

/** A citizen identified as in the population registry (proposals, objections). */
export class CitizenDto {
  @ApiProperty()
  @Matches(/^\d{16}$/, { message: 'nik: 16 digits' })
  nik!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(120)
  fullName!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\+?\d{8,15}$/)
  phone?: string;
}

/** A citizen's proposal (usul) of a needy neighbour: who proposes, and what they know of the household. */
export class ProposalDto {
  @ApiProperty({ type: CitizenDto })
  @ValidateNested()
  @Type(() => CitizenDto)
  proposer!: CitizenDto;

  @ApiProperty({ type: ApplicationDto })
  @ValidateNested()
  @Type(() => ApplicationDto)
  application!: ApplicationDto;
}
