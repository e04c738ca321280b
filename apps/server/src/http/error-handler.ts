import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCategory, type ErrorCode } from '../domain/errors.js';

/** The one mapping from an error's category to an HTTP status. */
export const CATEGORY_STATUS: Record<ErrorCategory, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
};

interface Issue {
  path: string;
  message: string;
}

/** Turns a validation failure into messages that name the field, e.g. `body.agent.params.fast`. */
function validationIssues(err: FastifyError): Issue[] {
  const context = err.validationContext ?? 'body';
  if (hasZodFastifySchemaValidationErrors(err)) {
    return err.validation.map((v) => {
      const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const keys = (v.params as { keys?: unknown }).keys;
      if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
        const at = field ? `${context}.${field}` : context;
        return { path: at, message: `unknown field ${keys.map((k) => `'${String(k)}'`).join(', ')}` };
      }
      return { path: field ? `${context}.${field}` : context, message: v.message ?? 'is invalid' };
    });
  }
  return [{ path: context, message: err.message }];
}

/** Fastify's own errors about the request itself, as coded errors. */
const FRAMEWORK_ERRORS: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_json', 'body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_json', 'body must not be empty when Content-Type is application/json'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['body_too_large', 'body is larger than 1 MB'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'Content-Type must be application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['bad_request', 'Content-Length does not match the body'],
};

const ROUTING_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not valid (bad percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is too long',
};

/** Errors raised before routing (a malformed URL, an over-long path parameter) get the same body. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message = ROUTING_MESSAGES[err.code] ?? 'the request could not be routed';
  return reply.status(status).send({ error: { code: 'bad_url', message } });
}

/** Coded errors answer with their category's status; anything unexpected is logged and is a 500 without details. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const issues = validationIssues(err);
      const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      return send(reply, new AppError('validation_error', message, issues));
    }
    if (err instanceof AppError) return send(reply, err);
    const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
    if (known) return send(reply, new AppError(...known));
    if (err instanceof SyntaxError && (err as { statusCode?: number }).statusCode === 400) {
      return send(reply, new AppError('invalid_json', 'body is not valid JSON'));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send({ error: { code: 'bad_request', message: err.message } });
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
}

function send(reply: FastifyReply, e: AppError) {
  const body = e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details };
  return reply.status(CATEGORY_STATUS[e.category]).send({ error: body });
}
