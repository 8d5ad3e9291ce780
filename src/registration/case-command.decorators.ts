import { applyDecorators, createParamDecorator, ExecutionContext, HttpCode, Post, Put } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { Response } from 'express';
import { ApplicantOrStaff, AuthenticatedRequest } from '../auth/auth.guard';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { ACTION_ROUTES, RoutedAction } from './registration-routes';
import { transitionsFor, VervalAction } from './verval-state-machine';

/** Who acts on which case, and the version they last saw. */
export interface CaseCall {
  readonly caseId: string;
  readonly actor: Principal;
  readonly applicantTokenHash?: string;
  readonly expectedVersion?: number;
  readonly res: Response;
}

const APPLICANT_ACTIONS: readonly VervalAction[] = ['saveDraft', 'attachDocument', 'submit', 'resubmitDocuments', 'withdraw'];

/** The route of a verval action, as ACTION_ROUTES and the state machine table describe it. */
export function CaseRoute(action: RoutedAction): MethodDecorator {
  const { method, path } = ACTION_ROUTES[action];
  const rows = transitionsFor(action);
  const roles = [...new Set(rows.flatMap((r) => r.roles))].join(', ');
  return applyDecorators(
    method === 'PUT' ? Put(path) : Post(path),
    HttpCode(200),
    ApiParam({ name: 'id', format: 'uuid', description: 'Case id' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The case version last read: optimistic concurrency' }),
    ApiOperation({ summary: `${rows[0].label.id} / ${rows[0].label.en}`, description: `Peran / roles: ${roles}` }),
    ...(APPLICANT_ACTIONS.includes(action) ? [ApplicantOrStaff()] : []),
  );
}

/** The case id (a UUID), the principal, the applicant token and If-Match of a command request. */
export const Case = createParamDecorator((_: unknown, ctx: ExecutionContext): CaseCall => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  const caseId = req.params.id as string;
  if (!isUUID(caseId)) throw ApiError.badRequest('INVALID_ID', { id: 'ID harus berupa UUID', en: 'The id must be a UUID' });
  return {
    caseId,
    actor: req.principal!,
    applicantTokenHash: req.applicantTokenHash,
    expectedVersion: parseIfMatch(req.headers['if-match']),
    res: ctx.switchToHttp().getResponse<Response>(),
  };
});

/** `If-Match: "3"` (or 3, or W/"3") → 3. A malformed header is a 400, not silently ignored. */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m)
    throw ApiError.badRequest('IF_MATCH_FORMAT', {
      id: 'Header If-Match harus berisi nomor versi',
      en: 'If-Match must hold a version number',
    });
  return Number(m[1]);
}
