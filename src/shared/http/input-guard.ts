import type { NextFunction, Request, Response } from 'express';
import { sendApiError } from './send-error';

/**
 * Nesting deeper than any request of the API needs (a registration is about 5 levels). Deeper
 * input (arrays 1,500 deep) overflowed the stack of class-transformer: a 500 before this check.
 */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A NUL (PostgreSQL's text refuses it) or a lone UTF-16 surrogate (not text at all; URIError in the email check). */
const NOT_TEXT = { test: (s: string): boolean => s.includes('\u0000') || LONE_SURROGATE.test(s) };

type Problem = { code: 'JSON_TOO_DEEP' | 'INVALID_TEXT'; field: string };

/**
 * Walks a parsed body or query without recursion (the input decides the depth) and returns the
 * first problem: too deep, or a string or key that is not valid text. Names the field, never the value.
 */
export function findInputProblem(value: unknown): Problem | undefined {
  const stack: Array<{ value: unknown; field: string; depth: number }> = [{ value, field: '', depth: 0 }];
  while (stack.length) {
    const { value: v, field, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (NOT_TEXT.test(v)) return { code: 'INVALID_TEXT', field: field || '(body)' };
      continue;
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) continue;
    if (depth >= MAX_JSON_DEPTH) return { code: 'JSON_TOO_DEEP', field: field || '(body)' };
    for (const [key, child] of Object.entries(v)) {
      const childField = Array.isArray(v) ? `${field}[${key}]` : field ? `${field}.${key}` : key;
      if (NOT_TEXT.test(key)) return { code: 'INVALID_TEXT', field: field || '(body)' };
      stack.push({ value: child, field: childField, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The path's segments decoded as Express will decode them for the route's parameters. */
function pathProblem(path: string): Problem | undefined {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { code: 'INVALID_TEXT', field: '(path)' };
    }
    if (NOT_TEXT.test(decoded)) return { code: 'INVALID_TEXT', field: '(path)' };
  }
  return undefined;
}

const MESSAGES = {
  JSON_TOO_DEEP: {
    id: `Data bersarang terlalu dalam (paling banyak ${MAX_JSON_DEPTH} tingkat)`,
    en: `The data is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`,
  },
  INVALID_TEXT: {
    id: 'Teks berisi karakter yang tidak valid (karakter NUL atau Unicode yang rusak)',
    en: 'The text contains invalid characters (a NUL or broken Unicode)',
  },
};

/**
 * Runs after the body parsers and before routing: every route gets the same 400 for input no
 * route can use, instead of each validator (or PostgreSQL) failing on it in its own way.
 */
export function inputGuard(req: Request, res: Response, next: NextFunction): void {
  const problem = pathProblem(req.path) ?? findInputProblem(req.query) ?? findInputProblem(req.body);
  if (!problem) return next();
  sendApiError(res, 400, problem.code, MESSAGES[problem.code], [{ field: problem.field }]);
}
