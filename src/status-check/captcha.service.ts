import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Payload } from 'altcha-lib/dist/cjs/v1/types';
import { DataSource } from 'typeorm';
import { derivedSecret } from '../auth/tokens.service';
import { Settings, SETTINGS } from '../config/settings.module';
import { ApiError } from '../shared/http/api-error';

const CHALLENGE_LIFETIME_MS = 10 * 60_000;
const CLEANUP_EVERY_MS = 10 * 60_000;

/**
 * The self-hosted captcha: an ALTCHA proof of work (the browser searches a number whose hash
 * matches; no third party). The challenge is signed with a key derived from the key-encryption
 * key and expires; a solved challenge is spent on first use, in the database, so every app
 * instance refuses it afterwards.
 */
@Injectable()
export class Captcha implements OnModuleDestroy {
  private readonly hmacKey: string;
  private readonly cleanup: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {
    this.hmacKey = derivedSecret(settings.keyEncryptionKey, 'captcha').toString('hex');
    this.cleanup = setInterval(() => void this.forgetExpired().catch(() => undefined), CLEANUP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanup);
  }

  challenge(now = Date.now()): Promise<object> {
    return createChallenge({
      hmacKey: this.hmacKey,
      maxNumber: this.settings.config.statusCheck.captchaMaxNumber,
      expires: new Date(now + CHALLENGE_LIFETIME_MS),
    });
  }

  /** Verifies a solution (the widget's base64 payload) and spends it; throws a 4xx otherwise. */
  async spend(payload: string | undefined): Promise<void> {
    if (!payload)
      throw new ApiError(400, 'CAPTCHA_REQUIRED', { id: 'Selesaikan captcha terlebih dahulu', en: 'Solve the captcha first' });
    const solution = parse(payload);
    if (!solution || !(await verifySolution(solution, this.hmacKey, true).catch(() => false)))
      throw new ApiError(400, 'CAPTCHA_INVALID', {
        id: 'Captcha tidak valid atau kedaluwarsa; muat captcha baru',
        en: 'The captcha is invalid or expired; load a new one',
      });
    // Our challenges name their expiry (seconds) in the signed salt; kept until then.
    const expires = Number(extractParams(solution).expires) * 1000 || Date.now() + CHALLENGE_LIFETIME_MS;
    const spent = await this.dataSource.query(
      `insert into captcha_spent (signature, expires_at) values ($1, to_timestamp($2 / 1000.0))
       on conflict do nothing returning signature`,
      [solution.signature, expires],
    );
    if (spent.length === 0)
      throw new ApiError(400, 'CAPTCHA_USED', {
        id: 'Captcha sudah dipakai; muat captcha baru',
        en: 'The captcha was used already; load a new one',
      });
  }

  private async forgetExpired(): Promise<void> {
    await this.dataSource.query('delete from captcha_spent where expires_at < now()');
  }
}

/** The widget's base64 JSON payload, or undefined when it is not one. */
function parse(payload: string): Payload | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Payload;
    return typeof parsed?.signature === 'string' && typeof parsed.salt === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
