import { randomUUID } from 'node:crypto';
import { SessionsService } from '../../src/auth/sessions.service';
import { TokensService } from '../../src/auth/tokens.service';
import { Settings } from '../../src/config/settings.module';
import { openDatabase } from '../../src/database/data-source';
import { systemClock } from '../../src/shared/clock';
import { BenchRow, benchDatabase, round, runConcurrent } from './harness';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SESSION_SECONDS ?? 5);

/**
 * What revocation costs per authenticated request (issue 16, section 4): verifying the token alone
 * (before) against verifying it and checking its session row (now), with many live sessions in
 * the table, from 1 and 8 concurrent callers. The activity write happens at most every 15 s per
 * session, so it is a small share of the checks here.
 */
export async function sessionsBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const server = await benchDatabase('sessions');
  const ds = await openDatabase(server.url, 10);
  const settings = {
    config: { auth: { tokenTtlSeconds: 900, idleTimeoutSeconds: 900, tokenSecret: Buffer.alloc(32, 7) } },
    keyEncryptionKey: Buffer.alloc(32, 1),
  } as unknown as Settings;
  const tokens = new TokensService(settings);
  const sessions = new SessionsService(ds, settings, systemClock);
  const rows: BenchRow[] = [];
  try {
    const users = Array.from({ length: 100 }, () => randomUUID());
    await ds.query(
      `insert into users (id, username, display_name, password_hash, role, region_code)
       select u, 'u' || i, 'U', 'x', 'dinsos', '32.04' from unnest($1::uuid[]) with ordinality as t(u, i)`,
      [users],
    );
    await ds.query(
      `insert into auth_sessions (id, user_id, created_at, last_seen_at)
       select gen_random_uuid(), ($1::uuid[])[1 + i % 100], now(), now() from generate_series(1, $2) i`,
      [users, SESSIONS],
    );
    await ds.query('analyze auth_sessions');
    const live = await Promise.all(users.slice(0, 50).map(async (u) => ({ u, sid: await sessions.open(u) })));
    const signed = live.map(({ u, sid }) => tokens.sign({ userId: u, role: 'dinsos', region: '32.04' }, sid));
    for (const writers of [1, 8]) {
      const before = await runConcurrent(writers, SECONDS, async (_, i) => {
        if (!tokens.verify(signed[i % signed.length])) throw new Error('token');
      });
      rows.push({ benchmark: 'authenticate a request', variant: 'token only (before)', writers, ...before });
      const now = await runConcurrent(writers, SECONDS, async (_, i) => {
        const token = tokens.verify(signed[i % signed.length])!;
        if (!(await sessions.touch(token.sessionId, token.principal.userId))) throw new Error('session');
      });
      rows.push({ benchmark: 'authenticate a request', variant: 'token + session row (now)', writers, ...now });
    }
    const [plan] = await ds.query(
      `explain (format json) select s.last_seen_at from auth_sessions s join users u on u.id = s.user_id
       where s.id = $1 and s.user_id = $2 and s.revoked_at is null and u.active`,
      [live[0].sid, live[0].u],
    );
    const planText = JSON.stringify(plan);
    if (!planText.includes('auth_sessions_pkey')) throw new Error(`the session check does not use the primary key: ${planText}`);
    return { rows, extra: { sessionsInTable: SESSIONS + live.length, usesPrimaryKey: true, seconds: round(SECONDS) } };
  } finally {
    await ds.destroy();
    await server.stop();
  }
}
