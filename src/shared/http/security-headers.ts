import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The security headers of every answer (helmet). The pages are server-rendered with their
 * scripts and styles in /aset, so the CSP allows no inline script or style at all; the ALTCHA
 * widget's style sheet is served there too (its script then injects none), and it solves its
 * proof of work in a Worker it starts from a blob: (or data:) URL. Photos are previewed from blob:.
 * The one exception is Swagger UI at /api/docs (its page template has inline <style> blocks and
 * holds no personal data): there inline styles are allowed, inline scripts still are not.
 */
export function securityHeaders(): (req: Request, res: Response, next: NextFunction) => void {
  const pages = headers(["'self'"]);
  const apiDocs = headers(["'self'", "'unsafe-inline'"]);
  return (req, res, next) => (req.path.startsWith('/api/docs') ? apiDocs : pages)(req, res, next);
}

function headers(styleSrc: string[]) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc,
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:', 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only means something over TLS; helmet sends it always, browsers ignore it over http.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
}
