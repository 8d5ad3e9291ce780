import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from '../shared/http/api-error';
import { Principal } from './roles';
import { SessionsService } from './sessions.service';
import { SignInThrottle } from './sign-in-throttle';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

export type SignInResult =
  | { readonly kind: 'ok'; readonly principal: Principal; readonly token: string; readonly sessionId: string }
  | { readonly kind: 'failed' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

/** The client address a sign-in attempt is counted against (Express honours the trust-proxy setting). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Signing in, the same for the API and the /masuk page: throttle, check the password, open a session. */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: SignInThrottle,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
  ) {}

  async signIn(username: string, password: string, address: string, ttlSeconds: number): Promise<SignInResult> {
    const wait = await this.throttle.attempt(username, address);
    if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
    const principal = await this.users.verify(username, password);
    if (!principal) return { kind: 'failed' };
    await this.throttle.succeeded(username, address);
    const sessionId = await this.sessions.open(principal.userId);
    return { kind: 'ok', principal, sessionId, token: this.tokens.sign(principal, sessionId, ttlSeconds) };
  }
}

/** The 429 of a throttled sign-in, with Retry-After in seconds. */
export function throttledError(res: Response, seconds: number): ApiError {
  res.setHeader('Retry-After', String(seconds));
  return new ApiError(429, 'SIGN_IN_THROTTLED', {
    id: `Terlalu banyak percobaan masuk; coba lagi dalam ${seconds} detik`,
    en: `Too many sign-in attempts; try again in ${seconds} seconds`,
  });
}
