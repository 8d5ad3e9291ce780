import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, hkdfSync } from 'node:crypto';
import { Settings, SETTINGS } from '../config/settings.module';
import { Principal, Role, ROLES } from './roles';

/** A secret for one purpose derived from the key-encryption key, when none is configured. */
export function derivedSecret(kek: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), `bansos-verval:${purpose}`, 32));
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Short-lived signed tokens (HS256) carrying the user, role and region. */
@Injectable()
export class TokensService {
  private readonly jwt: JwtService;
  readonly ttlSeconds: number;

  constructor(@Inject(SETTINGS) settings: Settings) {
    this.ttlSeconds = settings.config.auth.tokenTtlSeconds;
    this.jwt = new JwtService({
      secret: settings.config.auth.tokenSecret ?? derivedSecret(settings.keyEncryptionKey, 'auth-token'),
      signOptions: { algorithm: 'HS256', expiresIn: this.ttlSeconds, issuer: 'bansos-verval' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'bansos-verval' },
    });
  }

  /** A token for one session (`sid`): the session row decides whether it still counts. */
  sign(principal: Principal, sessionId: string, ttlSeconds = this.ttlSeconds): string {
    return this.jwt.sign(
      { sub: principal.userId, role: principal.role, region: principal.region, sid: sessionId },
      { expiresIn: ttlSeconds },
    );
  }

  /** The principal and session of a valid, unexpired token; undefined otherwise (not yet checked against the session). */
  verify(token: string): { principal: Principal; sessionId: string } | undefined {
    try {
      const claims = this.jwt.verify<{ sub: string; role: Role; region: string; sid: string }>(token);
      if (!ROLES.includes(claims.role) || claims.role === 'pemohon' || typeof claims.region !== 'string') return undefined;
      if (typeof claims.sid !== 'string') return undefined;
      return { principal: { userId: claims.sub, role: claims.role, region: claims.region }, sessionId: claims.sid };
    } catch {
      return undefined;
    }
  }
}
