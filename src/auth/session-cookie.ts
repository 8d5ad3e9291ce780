import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';

/**
 * The web pages' sign-in: the same short-lived token as the API's Bearer, in an HttpOnly cookie.
 * SameSite=Strict keeps other sites from riding on it (the pages' writes are JSON fetches, which a
 * foreign form cannot forge either).
 */
export const SESSION_COOKIE = 'sesi';

export function sessionToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] || undefined : undefined;
}

export function setSession(res: Response, req: Request, token: string, maxAgeSeconds: number): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, token, { ...cookieOptions(req), maxAge: maxAgeSeconds }));
}

export function clearSession(res: Response, req: Request): void {
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { ...cookieOptions(req), maxAge: 0 }));
}

function cookieOptions(req: Request) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure };
}
