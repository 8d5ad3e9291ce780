import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { derivedSecret } from '../auth/tokens.service';
import { Settings, SETTINGS } from '../config/settings.module';
import { ApiError } from '../shared/http/api-error';
import { Challenge, createChallenge, expiryOf, parseSolution, verifySolution } from './proof-of-work';

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

  challenge(now = Date.now()): Challenge {
    return createChallenge(
      this.hmacKey,
      this.settings.config.statusCheck.captchaMaxNumber,
      new Date(now + CHALLENGE_LIFETIME_MS),
    );
  }

  /** Verifies a solution (the widget's base64 payload) and spends it; throws a 4xx otherwise. */
  async spend(payload: string | undefined): Promise<void> {
    if (!payload)
      throw new ApiError(400, 'CAPTCHA_REQUIRED', { id: 'Selesaikan captcha terlebih dahulu', en: 'Solve the captcha first' });
    const solution = parseSolution(payload);
    if (!solution || !verifySolution(solution, this.hmacKey))
      throw new ApiError(400, 'CAPTCHA_INVALID', {
        id: 'Captcha tidak valid atau kedaluwarsa; muat captcha baru',
        en: 'The captcha is invalid or expired; load a new one',
      });
    const spent = await this.dataSource.query(
      `insert into captcha_spent (signature, expires_at) values ($1, to_timestamp($2 / 1000.0))
       on conflict do nothing returning signature`,
      [solution.signature, expiryOf(solution)],
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
