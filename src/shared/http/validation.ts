import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** Field paths and what is wrong with each (class-validator's words, in English). */
function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * DTOs validated at the edge: unknown fields are refused, every problem is listed. A required
 * nested object needs @IsObject() beside @ValidateNested(), which lets a missing one through.
 */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      ApiError.badRequest(
        'VALIDATION_FAILED',
        { id: 'Data yang dikirim tidak valid', en: 'The request data is invalid' },
        flatten(errors),
      ),
  });
}
