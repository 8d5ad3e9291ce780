import { Module } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Settings, SETTINGS } from '../config/settings.module';

const PINO_LEVEL: Record<string, string> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};
const CORRELATION_ID = /^[\w-]{8,64}$/;
const QUIET = new Set(['/health', '/metrics']);

/**
 * Structured JSON logs (pino), one line per request with its correlation id: the caller's
 * X-Request-Id when it sends a sane one, otherwise a new one, echoed back. Never personal data:
 * a request is logged by its route pattern (no ids, no query string, no body, no headers), its
 * status and time, and the acting user's id and role.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [SETTINGS],
      useFactory: (s: Settings) => ({
        // Written synchronously, so the last lines before an exit (a shutdown, a crash) are not lost.
        pinoHttp: [
          {
            level: PINO_LEVEL[s.config.logLevel] ?? 'info',
            genReqId: (req: IncomingMessage, res: ServerResponse) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            autoLogging: { ignore: (req: IncomingMessage) => QUIET.has((req as Request).path) },
            // Evaluated when the line is written: by then the route has matched and the user is known.
            customProps: (req: IncomingMessage, res: ServerResponse) => {
              const p = (req as AuthenticatedRequest).principal;
              const route = (res as Response).locals?.route as string | undefined; // set by configureApp's timing
              return { ...(route ? { route } : {}), ...(p ? { user: p.userId, role: p.role } : {}) };
            },
            serializers: {
              req: (req: { id: string; method: string }) => ({ id: req.id, method: req.method }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            customSuccessMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${(res as Response).statusCode}`,
          },
          pino.destination({ dest: 1, sync: true }),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
