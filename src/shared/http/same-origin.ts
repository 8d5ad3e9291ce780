import type { NextFunction, Request, Response } from 'express';
import { sessionToken } from '../../auth/session-cookie';
import { sendApiError } from './send-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The bodies a foreign page can send without a CORS preflight (an HTML form, or fetch in no-cors mode). */
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** The origin this request was addressed to (behind a proxy: as the proxy saw it, when TRUST_PROXY allows). */
function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.host}`;
}

/** Origin, or the origin of Referer when a browser sent no Origin; undefined when neither parses. */
function senderOrigin(req: Request): string | undefined {
  const origin = req.headers.origin;
  if (origin && origin !== 'null') return origin;
  if (origin === 'null') return 'null';
  const referer = req.headers.referer;
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

const FOREIGN = {
  id: 'Permintaan dari situs lain ditolak; buka halaman ini langsung lalu coba lagi',
  en: 'A request from another site was refused; open this page directly and try again',
};
const NOT_JSON = {
  id: 'Perubahan lewat API dengan cookie sesi harus dikirim sebagai JSON',
  en: 'A change through the API with the session cookie must be sent as JSON',
};

/**
 * Cross-site request forgery: the session cookie is the one credential a browser attaches by
 * itself, so a write that carries it must come from our own pages (Origin, else Referer, equal
 * to our own origin) and, on the API, must not be a body a foreign form can send. SameSite=Strict
 * is a second line (old browsers, and sibling subdomains count as same-site). Bearer tokens and
 * resume tokens are sent by script only and need no check; a request without the cookie is not
 * checked either, except that a browser's foreign Origin is refused outright (sign-in forgery).
 */
export function sameOriginWrites(req: Request, res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const sender = senderOrigin(req);
  const bearer = /^Bearer /i.test(req.headers.authorization ?? '');
  const cookie = !bearer && sessionToken(req) !== undefined;
  if (sender !== undefined ? sender !== ownOrigin(req) : cookie) {
    return sendApiError(res, 403, 'CROSS_SITE_REQUEST', FOREIGN);
  }
  if (cookie && req.path.startsWith('/api/')) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type === '' ? Number(req.headers['content-length'] ?? 0) > 0 : SIMPLE_TYPES.has(type))
      return sendApiError(res, 403, 'JSON_REQUIRED', NOT_JSON);
  }
  next();
}
