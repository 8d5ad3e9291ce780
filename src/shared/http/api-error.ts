import { HttpException } from '@nestjs/common';
import { BilingualText, Rejection } from '../decider';

const STATUS_OF_KIND: Record<Rejection['kind'], number> = { conflict: 409, rule: 422, forbidden: 403, not_found: 404 };

/** The body of every error answer: a machine code, a message in Bahasa Indonesia and in English. */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly messageEn: string;
  readonly details?: readonly unknown[];
}

/** The one shape of an error answer, for Nest's filters and the middleware before them alike. */
export function apiErrorBody(status: number, code: string, message: BilingualText, details?: readonly unknown[]): ApiErrorBody {
  return { statusCode: status, code, message: message.id, messageEn: message.en, ...(details ? { details } : {}) };
}

export class ApiError extends HttpException {
  constructor(status: number, code: string, message: BilingualText, details?: readonly unknown[]) {
    super(apiErrorBody(status, code, message, details), status);
  }

  static fromRejection(rejection: Rejection): ApiError {
    return new ApiError(STATUS_OF_KIND[rejection.kind], rejection.code, rejection.message, rejection.details);
  }

  static notFound(what: BilingualText): ApiError {
    return new ApiError(404, 'NOT_FOUND', { id: `${what.id} tidak ditemukan`, en: `${what.en} not found` });
  }

  static badRequest(code: string, message: BilingualText, details?: readonly unknown[]): ApiError {
    return new ApiError(400, code, message, details);
  }
}
