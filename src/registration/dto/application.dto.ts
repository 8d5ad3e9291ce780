import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CHANNELS, Channel, MARITAL_STATUSES, MaritalStatus, RELATIONS, Relation } from '../application';
import { CommandBodyDto } from './common.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Shapes only: a draft may be incomplete; the rules run at submit and answer with reasons. */
export class MemberDto {
  @ApiProperty({ example: '3204104101900001' })
  @Matches(/^\d{0,16}$/, { message: 'nik: up to 16 digits' })
  nik!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(120)
  fullName!: string;

  @ApiProperty({ example: '1990-01-01' })
  @Matches(DATE, { message: 'birthDate: YYYY-MM-DD' })
  birthDate!: string;

  @ApiProperty({ enum: ['L', 'P'] })
  @IsIn(['L', 'P'])
  sex!: 'L' | 'P';

  @ApiProperty({ enum: RELATIONS })
  @IsIn(RELATIONS)
  relation!: Relation;

  @ApiProperty({ enum: MARITAL_STATUSES })
  @IsIn(MARITAL_STATUSES)
  maritalStatus!: MaritalStatus;

  @ApiPropertyOptional({ description: 'Sedang hamil / pregnant (PKH)' })
  @IsOptional()
  @IsBoolean()
  pregnant?: boolean;

  @ApiPropertyOptional({ description: 'Disabilitas berat / severe disability' })
  @IsOptional()
  @IsBoolean()
  severeDisability?: boolean;
}

export class ContactDto {
  @ApiPropertyOptional({ example: '+6281234567890' })
  @IsOptional()
  @Matches(/^\+?\d{8,15}$/, { message: 'phone: 8–15 digits, optional +' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;
}

export class ProposerDto {
  @ApiProperty()
  @IsString()
  @MaxLength(120)
  fullName!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\+?\d{8,15}$/)
  phone?: string;
}

export class ApplicationDto {
  @ApiProperty({ example: '32.04.10.2001' })
  @Matches(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, { message: 'villageCode: a village code like 32.04.10.2001' })
  villageCode!: string;

  @ApiProperty()
  @Matches(/^\d{0,16}$/, { message: 'kkNumber: up to 16 digits' })
  kkNumber!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(500)
  address!: string;

  @ApiProperty({ type: ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;

  @ApiProperty({ type: [MemberDto] })
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  @ArrayMaxSize(30)
  members!: MemberDto[];

  @ApiProperty({ description: 'PMT questionnaire answers (GET /api/v1/eligibility/indicators)' })
  @IsObject()
  declaredIndicators!: Record<string, number>;

  @ApiPropertyOptional({ type: ProposerDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProposerDto)
  proposer?: ProposerDto;
}

export class SaveDraftDto extends CommandBodyDto {
  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ type: ApplicationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ApplicationDto)
  application!: ApplicationDto;
}
