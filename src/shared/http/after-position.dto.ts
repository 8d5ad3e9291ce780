import { IntersectionType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageQuery } from './page.dto';

/** Read your own write: `?afterPosition=` waits (bounded) until the read model has passed that command. */
export class AfterPositionQuery {
  @IsOptional()
  @Matches(/^\d{1,20}\/\d{1,20}$/, { message: 'afterPosition: a position as returned by a command, e.g. 812/3' })
  afterPosition?: string;
}

/** A page of a read model, read after a given command. */
export class PagedAfterPositionQuery extends IntersectionType(PageQuery, AfterPositionQuery) {}
