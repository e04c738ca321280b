import { z } from 'zod';

export const Email = z
  .string({ error: 'must be a string' })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid email address' }))
  .transform((e) => e.toLowerCase());

export const Password = z
  .string({ error: 'must be a string' })
  .min(8, 'must be at least 8 characters')
  .max(256, 'must be at most 256 characters');

export const SignupBody = z.strictObject({
  email: Email,
  password: Password,
  display_name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').optional(),
});
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z.strictObject({
  email: Email,
  password: z.string({ error: 'must be a string' }).min(1, 'is required').max(256, 'must be at most 256 characters'),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const Role = z.enum(['user', 'admin']);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: z.number().int(),
  email: z.string(),
  display_name: z.string(),
  role: Role,
});
export type User = z.infer<typeof User>;

export const AuthResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
  user: User,
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const StreamTicket = z.object({ ticket: z.string(), expires_in: z.number().int() });
export type StreamTicket = z.infer<typeof StreamTicket>;
