import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';

/** Nesting deeper than any request schema goes is not followed (the schema refuses it anyway). */
const MAX_DEPTH = 32;

/** The path of the first string or key holding a NUL character, like `body.agent.params.model`. */
function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\0')) return path;
    const found = findNul(v, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses a NUL character in any text a request carries (body, query, path): PostgreSQL cannot
 * store one in a text column, and no field of the API has a use for it. One check for every
 * route, before its schema runs; the 400 names the field.
 */
export async function refuseNul(req: FastifyRequest) {
  for (const [part, value] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
    const path = findNul(value, part);
    if (path) {
      const message = 'must not contain NUL characters';
      throw new AppError('validation_error', `${path}: ${message}`, [{ path, message }]);
    }
  }
}
