import { IsIn, IsOptional, Matches } from 'class-validator';
import { PagedAfterPositionQuery } from '../../shared/http/after-position.dto';
import { VERVAL_STATES } from '../verval-state-machine';
import { REGION_CODE } from '../../shared/http/region-code';

export class CaseListQueryDto extends PagedAfterPositionQuery {
  @IsOptional()
  @IsIn(Object.keys(VERVAL_STATES))
  status?: string;

  @IsOptional()
  @Matches(REGION_CODE)
  regionCode?: string;
}
