import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../shared/http/page.dto';
import { VERVAL_STATES } from '../verval-state-machine';

export class CaseListQueryDto extends PageQuery {
  @IsOptional()
  @IsIn(Object.keys(VERVAL_STATES))
  status?: string;

  @IsOptional()
  @Matches(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/)
  regionCode?: string;

  /** Read your own write: wait (up to 5 s) until the list includes the command at this position. */
  @IsOptional()
  @Matches(/^\d{1,20}\/\d{1,20}$/, { message: 'afterPosition: a position as returned by a command, e.g. 812/3' })
  afterPosition?: string;
}
