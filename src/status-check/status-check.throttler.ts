import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { Settings } from '../config/settings.module';
import { normaliseName } from '../registration/application';
import { ApiError } from '../shared/http/api-error';
import { FixedWindowStorage } from './fixed-window-storage';

/** Per client address, and per village + name from any client (so one person cannot be probed at scale). */
export function statusCheckThrottlers(settings: Settings, storage: FixedWindowStorage): ThrottlerModuleOptions {
  const { perClientPerMinute, perNamePerHour } = settings.config.statusCheck;
  return {
    storage,
    throttlers: [
      { name: 'klien', ttl: 60_000, limit: perClientPerMinute },
      {
        name: 'nama',
        ttl: 3_600_000,
        limit: perNamePerHour,
        getTracker: (req: Record<string, any>) => {
          const body = (req as Request).body as { villageCode?: unknown; name?: unknown } | undefined;
          const subject = `${String(body?.villageCode ?? '')}|${normaliseName(String(body?.name ?? ''))}`;
          return createHash('sha256').update(subject).digest('hex'); // the name itself is not kept
        },
      },
    ],
  };
}

/**
 * The throttler, answering 429 in the users' language with a plain Retry-After (seconds). One
 * budget per client and per village + name across the API and the page, so a second route does
 * not double what a prober may try.
 */
@Injectable()
export class StatusCheckThrottler extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, suffix: string, name: string): string {
    return createHash('sha256').update(`cek-bansos-${name}-${suffix}`).digest('hex');
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    throw new ApiError(429, 'RATE_LIMITED', {
      id: `Terlalu banyak pencarian; coba lagi dalam ${Math.ceil(detail.timeToBlockExpire)} detik`,
      en: `Too many searches; try again in ${Math.ceil(detail.timeToBlockExpire)} seconds`,
    });
  }
}
