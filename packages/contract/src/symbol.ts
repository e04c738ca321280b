import { z } from 'zod';

/** A ticker as the API accepts it: trimmed and upper-cased. Its own module so rules and models share it without a cycle. */
export const Symbol = z
  .string({ error: 'must be a string' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9.^-]{1,15}$/, 'must be a ticker symbol (letters, digits, . ^ -)');
