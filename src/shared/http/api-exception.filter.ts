import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { SubjectErasedError, WrongExpectedVersionError } from '../../event-store/errors';
import { describeError } from '../safe-error';
import { ApiErrorBody } from './api-error';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable, isDatabaseUnavailable } from './database-unavailable';

const GENERIC: Record<number, { code: string; id: string; en: string }> = {
  400: { code: 'BAD_REQUEST', id: 'Permintaan tidak valid', en: 'Bad request' },
  401: { code: 'UNAUTHENTICATED', id: 'Silakan masuk terlebih dahulu', en: 'Please sign in first' },
  403: { code: 'FORBIDDEN', id: 'Anda tidak berwenang', en: 'You are not allowed to do this' },
  404: { code: 'NOT_FOUND', id: 'Tidak ditemukan', en: 'Not found' },
  413: { code: 'PAYLOAD_TOO_LARGE', id: 'Berkas atau data terlalu besar', en: 'The upload or body is too large' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', id: 'Jenis berkas tidak didukung', en: 'Unsupported media type' },
  429: { code: 'TOO_MANY_REQUESTS', id: 'Terlalu banyak permintaan, coba lagi nanti', en: 'Too many requests, try again later' },
  500: { code: 'INTERNAL', id: 'Terjadi kesalahan pada server', en: 'Internal server error' },
};

/**
 * Every error leaves as { statusCode, code, message (Bahasa Indonesia), messageEn, details? }.
 * No stack traces and no echo of the input: unexpected errors are logged without personal data.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const unavailable = isDatabaseUnavailable(thrown);
    const exception = unavailable ? databaseUnavailable() : thrown;
    if (unavailable) {
      this.logger.warn(`database unavailable: ${describeError(thrown)}`);
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    const body = this.bodyFor(exception);
    if (body.statusCode >= 500 && !unavailable) this.logger.error(describeError(exception));
    res.locals.errorCode = body.code; // for the command-outcome metric
    res.status(body.statusCode).json(body);
  }

  private bodyFor(exception: unknown): ApiErrorBody {
    if (exception instanceof WrongExpectedVersionError) {
      return {
        statusCode: 409,
        code: 'VERSION_CONFLICT',
        message: 'Data telah diubah oleh orang lain; muat ulang lalu coba lagi',
        messageEn: 'The case was changed by someone else; reload and try again',
        details: [{ expected: exception.expected, actual: exception.actual }],
      };
    }
    if (exception instanceof SubjectErasedError) {
      // A command that would write personal data of an erased household again: gone for good.
      return {
        statusCode: 410,
        code: 'SUBJECT_ERASED',
        message: 'Data pribadi rumah tangga/kasus ini telah dihapus dan tidak dapat ditulis lagi',
        messageEn: 'The personal data of this household or case was erased and cannot be written again',
      };
    }
    const status = exception instanceof HttpException ? exception.getStatus() : bodyParserStatus(exception);
    const response = exception instanceof HttpException ? exception.getResponse() : undefined;
    if (typeof response === 'object' && response && 'code' in response) return response as ApiErrorBody;
    const generic = GENERIC[status] ?? GENERIC[status >= 500 ? 500 : 400];
    if (isMalformedJson(exception)) {
      return {
        statusCode: 400,
        code: 'MALFORMED_JSON',
        message: 'Isi permintaan bukan JSON yang valid',
        messageEn: 'The request body is not valid JSON',
      };
    }
    return { statusCode: status, code: generic.code, message: generic.id, messageEn: generic.en };
  }
}

/** Errors thrown by Express' body parsers carry their HTTP status. */
function bodyParserStatus(exception: unknown): number {
  const status = (exception as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** Nest turns the JSON body parser's SyntaxError into a BadRequestException carrying its message. */
function isMalformedJson(exception: unknown): boolean {
  return exception instanceof BadRequestException && /JSON/.test(exception.message);
}
