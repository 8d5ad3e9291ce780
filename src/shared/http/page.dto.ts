import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=1&pageSize=50`, at most 200 per page. */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

/** Rows of a page query that selected `count(*) over () as total`: the items and the total. */
export function pageOf<T>(rows: Array<T & { total: number }>): { total: number; items: T[] } {
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _total, ...item }) => item as T) };
}
