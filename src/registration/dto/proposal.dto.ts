import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, Matches, ValidateNested } from 'class-validator';
import { ApplicationDto, ProposerDto } from './application.dto';

/** A citizen identified as in the population registry (proposals, objections). */
export class CitizenDto extends ProposerDto {
  @ApiProperty()
  @Matches(/^\d{16}$/, { message: 'nik: 16 digits' })
  nik!: string;
}

/** A citizen's proposal (usul) of a needy neighbour: who proposes, and what they know of the household. */
export class ProposalDto {
  @ApiProperty({ type: CitizenDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CitizenDto)
  proposer!: CitizenDto;

  @ApiProperty({ type: ApplicationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ApplicationDto)
  application!: ApplicationDto;
}
