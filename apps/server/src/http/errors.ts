import createError from '@fastify/error';

/** The API's typed errors; the error handler turns each into the contract's error body. */
export const NotFound = createError<[string]>('not_found', '%s', 404);
export const Unauthorized = createError<[string]>('unauthorized', '%s', 401);
export const Forbidden = createError<[string]>('forbidden', '%s', 403);
export const Conflict = createError<[string]>('conflict', '%s', 409);
export const BadRequest = createError<[string]>('bad_request', '%s', 400);
export const TooManyRequests = createError<[string]>('rate_limited', '%s', 429);

export const modelNotFound = (id: number) => new NotFound(`model ${id} not found`);
