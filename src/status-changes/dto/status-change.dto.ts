import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CommandBodyDto } from '../../registration/dto/common.dto';
import { MemberDto } from '../../registration/dto/application.dto';
import { ApiError } from '../../shared/http/api-error';
import { MARITAL_STATUSES, MaritalStatus, RELATIONS, Relation } from '../../registration/application';
import { IndicatorValues } from '../../eligibility/indicators';
import { STATUS_CHANGE_KINDS, StatusChangeDetails, StatusChangeKind } from '../status-change';

/** The member fields a data correction may change; absent ones stay as they are. */
export class CorrectionsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(120)
  fullName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  birthDate?: string;

  @ApiPropertyOptional({ enum: ['L', 'P'] })
  @IsOptional()
  @IsIn(['L', 'P'])
  sex?: 'L' | 'P';

  @ApiPropertyOptional({ enum: RELATIONS })
  @IsOptional()
  @IsIn(RELATIONS)
  relation?: Relation;

  @ApiPropertyOptional({ enum: MARITAL_STATUSES })
  @IsOptional()
  @IsIn(MARITAL_STATUSES)
  maritalStatus?: MaritalStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  pregnant?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  severeDisability?: boolean;
}

/** One body for every kind; which fields a kind needs is checked by `toDetails`. */
export class RequestStatusChangeDto extends CommandBodyDto {
  @ApiProperty({ enum: Object.keys(STATUS_CHANGE_KINDS) })
  @IsIn(Object.keys(STATUS_CHANGE_KINDS))
  kind!: StatusChangeKind;

  @ApiPropertyOptional({
    description:
      'Tindak lanjut sanggah atau banding yang dikabulkan (id-nya): kasus dibuka oleh dinsos dengan sumber SANGGAH/BANDING',
  })
  @IsOptional()
  @IsUUID()
  followsReviewId?: string;

  @ApiPropertyOptional({ description: 'MENINGGAL: the member (0-based)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  memberIndex?: number;

  @ApiPropertyOptional({ description: 'MENINGGAL: date of death' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  diedOn?: string;

  @ApiPropertyOptional({ type: MemberDto, description: 'KELAHIRAN: the new member' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MemberDto)
  member?: MemberDto;

  @ApiPropertyOptional({ description: 'PINDAH: the new village' })
  @IsOptional()
  @Matches(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/)
  toVillageCode?: string;

  @ApiPropertyOptional({ description: 'PINDAH: the new address' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ type: CorrectionsDto, description: 'PERBAIKAN_DATA: the corrected fields of the member at memberIndex' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CorrectionsDto)
  corrections?: CorrectionsDto;

  @ApiPropertyOptional({ description: 'PERINGKAT_ULANG: every PMT indicator as now observed' })
  @IsOptional()
  @IsObject()
  indicators?: Record<string, number>;

  @ApiPropertyOptional({ description: 'GANDA: the household this one duplicates' })
  @IsOptional()
  @IsUUID()
  duplicateOfHouseholdId?: string;
}

export class DecideStatusChangeDto extends CommandBodyDto {
  @ApiProperty()
  @IsBoolean()
  approve!: boolean;
}

/** The details of the change, or a 400 naming the fields its kind needs. */
export function toDetails(dto: RequestStatusChangeDto): StatusChangeDetails {
  const need = (...fields: Array<keyof RequestStatusChangeDto>): void => {
    const missing = fields.filter((f) => dto[f] === undefined);
    if (missing.length > 0) {
      throw ApiError.badRequest(
        'VALIDATION_FAILED',
        { id: `Perubahan ${dto.kind} membutuhkan: ${missing.join(', ')}`, en: `${dto.kind} needs: ${missing.join(', ')}` },
        missing.map((field) => ({ field, problems: ['required for this kind'] })),
      );
    }
  };
  switch (dto.kind) {
    case 'MENINGGAL':
      need('memberIndex', 'diedOn');
      return { kind: 'MENINGGAL', memberIndex: dto.memberIndex!, diedOn: dto.diedOn! };
    case 'KELAHIRAN': {
      need('member');
      const { nik, fullName, birthDate, sex, relation, maritalStatus } = dto.member!;
      return { kind: 'KELAHIRAN', member: { nik, fullName, birthDate, sex, relation, maritalStatus } };
    }
    case 'PINDAH':
      need('toVillageCode', 'address');
      return { kind: 'PINDAH', toVillageCode: dto.toVillageCode!, address: dto.address! };
    case 'GANDA':
      need('duplicateOfHouseholdId');
      return { kind: 'GANDA', duplicateOfHouseholdId: dto.duplicateOfHouseholdId! };
    case 'GRADUASI':
    case 'SUDAH_MAMPU':
      return { kind: dto.kind };
    case 'VERIFIKASI_ULANG':
      return { kind: 'VERIFIKASI_ULANG', trigger: 'BERKALA' };
    case 'PERBAIKAN_DATA': {
      need('memberIndex', 'corrections');
      const c = dto.corrections!;
      const corrections = Object.fromEntries(
        Object.entries({
          fullName: c.fullName,
          birthDate: c.birthDate,
          sex: c.sex,
          relation: c.relation,
          maritalStatus: c.maritalStatus,
          pregnant: c.pregnant,
          severeDisability: c.severeDisability,
        }).filter(([, v]) => v !== undefined),
      );
      return { kind: 'PERBAIKAN_DATA', memberIndex: dto.memberIndex!, corrections };
    }
    case 'PERINGKAT_ULANG':
      need('indicators');
      return { kind: 'PERINGKAT_ULANG', indicators: dto.indicators as IndicatorValues };
  }
}
