import type { Response } from 'express';
import { BilingualText } from '../decider';
import { apiErrorBody } from './api-error';

/**
 * The error body of ApiExceptionFilter, for the Express middleware that runs before Nest's
 * routing (and so before its filters): input checks and the same-origin rule.
 */
export function sendApiError(
  res: Response,
  status: number,
  code: string,
  message: BilingualText,
  details?: readonly unknown[],
): void {
  res.locals.errorCode = code; // for the command-outcome metric
  res.status(status).json(apiErrorBody(status, code, message, details));
}
