import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WrongExpectedVersionError } from '../event-store/errors';
import { describeError } from '../shared/safe-error';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable, isDatabaseUnavailable } from '../shared/http/database-unavailable';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { sessionToken } from '../auth/session-cookie';
import { Views } from './views';
import { webContextOf } from './web-context';

/**
 * Errors on the pages as people expect them: a sign-in page when the session is missing or has
 * expired (and back afterwards), otherwise a page that says what went wrong in the reader's
 * language. Never raw JSON or a stack trace.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(private readonly views: Views) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const unavailable = isDatabaseUnavailable(thrown);
    const exception = unavailable ? databaseUnavailable() : thrown;
    if (unavailable) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    const status =
      exception instanceof HttpException ? exception.getStatus() : exception instanceof WrongExpectedVersionError ? 409 : 500;
    if (status === 401) {
      const expired = sessionToken(req) ? '&sesi=habis' : '';
      res.redirect(303, `/masuk?lanjut=${encodeURIComponent(req.originalUrl)}${expired}`);
      return;
    }
    if (status >= 500 && !unavailable) this.logger.error(describeError(exception));
    const body = exception instanceof HttpException ? exception.getResponse() : undefined;
    const message =
      typeof body === 'object' && body && 'message' in body ? (body as { message: unknown; messageEn?: unknown }) : undefined;
    const web = webContextOf(req, (req as AuthenticatedRequest).principal);
    const text =
      (status >= 500 && !unavailable) || !message || typeof message.message !== 'string'
        ? undefined
        : web.lang === 'en' && typeof message.messageEn === 'string'
          ? message.messageEn
          : message.message;
    const details =
      text && Array.isArray((body as { details?: unknown }).details)
        ? describeDetails((body as { details: unknown[] }).details, web.lang)
        : [];
    res
      .status(status)
      .type('html')
      .send(this.views.render('error', web, { status, text, details }));
  }
}

/** The items an error names (refused cases, invalid fields), as lines a person can read. */
function describeDetails(details: unknown[], lang: 'id' | 'en'): string[] {
  return details.slice(0, 20).map((d) => {
    const item = d as { caseId?: string; field?: string; message?: unknown; problems?: string[] };
    const message =
      typeof item.message === 'object' && item.message ? (item.message as Record<string, string>)[lang] : item.message;
    const what = item.field ?? item.caseId?.slice(0, 8) ?? '';
    return `${what}${what ? ': ' : ''}${String(message ?? item.problems?.join('; ') ?? '')}`;
  });
}
