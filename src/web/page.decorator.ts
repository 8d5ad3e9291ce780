import { applyDecorators, Header, UseFilters } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { WebExceptionFilter } from './web-exception.filter';

/** A server-rendered page: HTML, outside the API's documentation, with the pages' error handling. */
export function Page(): MethodDecorator {
  return applyDecorators(
    Header('Content-Type', 'text/html; charset=utf-8'),
    Header('Cache-Control', 'no-store'),
    ApiExcludeEndpoint(),
    UseFilters(WebExceptionFilter),
  );
}
