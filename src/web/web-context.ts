import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { parse } from 'cookie';
import type { Request } from 'express';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Principal, ROLE_LABELS } from '../auth/roles';
import type { BilingualText } from '../shared/decider';

export type Lang = 'id' | 'en';
export const LANG_COOKIE = 'bahasa';
export const USERNAME_COOKIE = 'pengguna';

/** What every page template receives besides its own data: language, the signed-in user, helpers. */
export interface WebContext {
  readonly lang: Lang;
  readonly path: string;
  readonly principal?: Principal;
  /** The signed-in user's username, as given at sign-in (shown in the header). */
  readonly username?: string;
  /** The text in the reader's language: Bahasa Indonesia first, English second. */
  t(id: string, en: string): string;
  /** A domain text ({ id, en }) in the reader's language. */
  bi(text: BilingualText | undefined | null): string;
  roleLabel(): string;
}

export function webContextOf(req: Request, principal?: Principal): WebContext {
  const cookies: Record<string, string | undefined> = req.headers.cookie ? parse(req.headers.cookie) : {};
  const lang: Lang = cookies[LANG_COOKIE] === 'en' ? 'en' : 'id';
  return {
    lang,
    path: req.originalUrl,
    principal,
    username: principal ? cookies[USERNAME_COOKIE] : undefined,
    t: (id, en) => (lang === 'en' ? en : id),
    bi: (text) => (text ? text[lang] : ''),
    roleLabel: () => (principal ? ROLE_LABELS[principal.role][lang] : ''),
  };
}

/** The page's context; the principal when the route is signed in (the guard has set it). */
export const Web = createParamDecorator((_: unknown, ctx: ExecutionContext): WebContext => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  return webContextOf(req, req.principal);
});
