import { IsIn, IsOptional, Matches } from 'class-validator';
import { PagedAfterPositionQuery } from '../../shared/http/after-position.dto';
import { VERVAL_STATES } from '../verval-state-machine';

export class CaseListQueryDto extends PagedAfterPositionQuery {
  @IsOptional()
  @IsIn(Object.keys(VERVAL_STATES))
  status?: string;

  @IsOptional()
  @Matches(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/)
  regionCode?: string;
}
