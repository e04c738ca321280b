import type { z } from 'zod';
import { ApiError } from '../api/client';

export type FieldErrors = Record<string, string>;

/** One message per field, keyed by dotted path (`agent.params.fast`); the first issue wins. */
export function fieldErrors(error: z.ZodError, collapse: (path: string) => string = (p) => p): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = collapse(issue.path.map(String).join('.'));
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Field errors the server named: validation details (`body.agent.params.fast`) or a message of
 * the form `field: reason` for one of `known` fields. Returns {} when it names none.
 */
export function serverFieldErrors(e: unknown, known: (path: string) => string | null): FieldErrors {
  if (!(e instanceof ApiError)) return {};
  const out: FieldErrors = {};
  if (Array.isArray(e.details)) {
    for (const d of e.details as { path?: unknown; message?: unknown }[]) {
      if (typeof d.path !== 'string' || typeof d.message !== 'string') continue;
      const key = known(d.path.replace(/^body\.?/, ''));
      if (key) out[key] ??= d.message;
    }
  }
  const m = /^([a-z_.]+): (.+)$/.exec(e.message);
  if (Object.keys(out).length === 0 && m) {
    const key = known(m[1]!);
    if (key) out[key] = m[2]!;
  }
  return out;
}
