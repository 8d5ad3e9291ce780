import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { DOCUMENT_KINDS, DocumentKind } from '../documents';
import { APPROVAL_LEVELS, ApprovalAction } from '../verval-state-machine';
import { CommandBodyDto } from './common.dto';
import { REGION_CODE } from '../../shared/http/region-code';

export class CheckDocumentsDto extends CommandBodyDto {
  @ApiProperty()
  @IsBoolean()
  complete!: boolean;
}

export class ValidateDto extends CommandBodyDto {
  @ApiProperty()
  @IsBoolean()
  valid!: boolean;

  @ApiProperty({ description: 'Whether a social worker must visit before the eligibility analysis' })
  @IsBoolean()
  fieldVisitRequired!: boolean;

  @ApiPropertyOptional({ description: 'Fields that do not match the documents', type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(50)
  fields?: string[];
}

export class FieldVerificationDto extends CommandBodyDto {
  @ApiProperty({ example: '2026-11-20' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'visitedOn: YYYY-MM-DD' })
  visitedOn!: string;

  @ApiProperty({ description: 'Every PMT indicator as observed (GET /api/v1/eligibility/indicators)' })
  @IsObject()
  indicators!: Record<string, number>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ProposeOverrideDto extends CommandBodyDto {
  @ApiProperty({ enum: ['layak', 'tidak_layak'] })
  @IsIn(['layak', 'tidak_layak'])
  outcome!: 'layak' | 'tidak_layak';
}

export class DecisionDto extends CommandBodyDto {
  @ApiProperty({ description: 'true = setuju/approve, false = tolak/reject (needs a reason)' })
  @IsBoolean()
  approve!: boolean;
}

export class AttachDocumentQuery {
  @ApiProperty({ enum: Object.keys(DOCUMENT_KINDS) })
  @IsIn(Object.keys(DOCUMENT_KINDS))
  kind!: DocumentKind;

  @ApiPropertyOptional({ description: 'Member the document belongs to (0-based)' })
  @IsOptional()
  @Matches(/^\d{1,2}$/)
  memberIndex?: string;
}

export class BatchDecisionDto extends DecisionDto {
  @ApiProperty({ enum: APPROVAL_LEVELS })
  @IsIn(APPROVAL_LEVELS)
  action!: ApprovalAction;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(5000)
  caseIds?: string[];

  @ApiPropertyOptional({ example: '32.04.10.2001' })
  @IsOptional()
  @Matches(REGION_CODE)
  regionCode?: string;

  @ApiPropertyOptional({ example: '2026-11', description: 'Cases submitted in this month' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  period?: string;

  @ApiPropertyOptional({ description: 'Preview: list what would be decided, write nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
