import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../shared/http/api-error';
import { sha256Hex, TokensService } from './tokens.service';
import { Principal } from './roles';
import { sessionToken } from './session-cookie';
import { SessionsService } from './sessions.service';

const ACCESS = 'access';
type Access = 'public' | 'applicant-or-staff';

/** Deliberately public: no login (the state machine, regions, health, login itself). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'public' satisfies Access);
/** Staff with a token, or an online applicant with the case's resume token (X-Resume-Token). */
export const ApplicantOrStaff = (): MethodDecorator => SetMetadata(ACCESS, 'applicant-or-staff' satisfies Access);

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  /** SHA-256 of the applicant's resume token, compared by the decider with the one on the case. */
  applicantTokenHash?: string;
  /** The signed-in session the token belongs to (sign-out ends it). */
  sessionId?: string;
}

export const RESUME_TOKEN_HEADER = 'x-resume-token';

/**
 * Authentication for every route (registered globally). What a principal may do is decided by
 * the one policy (`policy.ts`), which the deciders and the query services call with the region.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (access === 'public') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? sessionToken(req);
    if (bearer) {
      const token = this.tokens.verify(bearer);
      // The session row, not the token's expiry alone, says whether it still counts (sign-out, deactivation, idle).
      if (!token || !(await this.sessions.touch(token.sessionId, token.principal.userId)))
        throw new ApiError(401, 'TOKEN_INVALID', {
          id: 'Sesi tidak valid atau kedaluwarsa; silakan masuk lagi',
          en: 'Invalid or expired token; sign in again',
        });
      req.principal = token.principal;
      req.sessionId = token.sessionId;
      return true;
    }
    const resumeToken = req.headers[RESUME_TOKEN_HEADER];
    if (access === 'applicant-or-staff' && typeof resumeToken === 'string' && resumeToken.length >= 20) {
      // A region that contains nothing: the decider grants the applicant its own case only, by the token.
      req.principal = { userId: 'pemohon', role: 'pemohon', region: '-' };
      req.applicantTokenHash = sha256Hex(resumeToken);
      return true;
    }
    throw new ApiError(401, 'UNAUTHENTICATED', { id: 'Silakan masuk terlebih dahulu', en: 'Please sign in first' });
  }
}
