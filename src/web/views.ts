import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import * as path from 'node:path';
import { Permission, PERMISSIONS } from '../auth/policy';
import { Role } from '../auth/roles';
import { APPROVAL_LEVELS, rolesFor } from '../registration/verval-state-machine';
import { WebContext } from './web-context';

const DATE_TIME = { id: 'id-ID', en: 'en-GB' } as const;

/** The user ids a timeline names: its actors and the caseworkers cases were given to (for `names`). */
export function actorsOf(entries: ReadonlyArray<{ actor?: { userId: string }; data?: unknown }>): string[] {
  return entries.flatMap((e) => {
    const caseworker = (e.data as { caseworkerId?: unknown } | undefined)?.caseworkerId;
    return [...(e.actor ? [e.actor.userId] : []), ...(typeof caseworker === 'string' ? [caseworker] : [])];
  });
}

/** Renders the Eta templates under ./views (escaped by default) inside the layout. */
@Injectable()
export class Views {
  private readonly eta = new Eta({ views: path.join(__dirname, 'views'), cache: true, autoEscape: true });

  render(template: string, web: WebContext, data: Record<string, unknown> = {}): string {
    const names = (data.names ?? {}) as Record<string, string>;
    const who = (userId: string | null | undefined) => (userId ? (names[userId] ?? userId) : '—');
    // Domain texts name users by id ("assigned to <id>"): show their usernames instead.
    const named = (text: string) => Object.entries(names).reduce((t, [id, username]) => t.replaceAll(id, username), text);
    return this.eta.render(template, { ...data, web, fmt: formatters(web), nav: navigationFor(web), who, named });
  }
}

/** The console's menu: only what the signed-in role may open. */
function navigationFor(web: WebContext): Array<{ href: string; label: string }> {
  const role = web.principal?.role;
  if (!role) return [];
  const may = (p: Permission) => (PERMISSIONS[p] as readonly Role[]).includes(role);
  return [
    ...(role !== 'auditor' && role !== 'admin' ? [{ href: '/konsol/antrean', label: web.t('Antrean kerja', 'Work queue') }] : []),
    ...(APPROVERS.includes(role) ? [{ href: '/konsol/persetujuan', label: web.t('Persetujuan massal', 'Batch approval') }] : []),
    ...(may('audit:read') ? [{ href: '/audit', label: web.t('Audit', 'Audit') }] : []),
    ...(may('dashboard:read') ? [{ href: '/dasbor', label: web.t('Dasbor', 'Dashboard') }] : []),
    ...(may('users:manage') ? [{ href: '/konsol/pengguna', label: web.t('Pengguna', 'Users') }] : []),
    { href: '/akun/kata-sandi', label: web.t('Kata sandi', 'Password') },
  ];
}

const APPROVERS: readonly Role[] = APPROVAL_LEVELS.flatMap(rolesFor);

/** Dates and numbers as the reader's language writes them. */
function formatters(web: WebContext) {
  const locale = DATE_TIME[web.lang];
  return {
    date: (d: string | Date | null | undefined) =>
      d ? new Date(d).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' }) : '—',
    dateTime: (d: string | Date | null | undefined) =>
      d
        ? new Date(d).toLocaleString(locale, {
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            timeZone: 'Asia/Jakarta',
          })
        : '—',
    number: (n: number) => n.toLocaleString(locale),
  };
}
