import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

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

const CODE_STATUS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'body must not be empty when Content-Type is application/json'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'body is larger than 1 MB'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Content-Type must be application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'Content-Length does not match the body'],
};

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not valid (bad percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is too long',
};

/** Errors raised before routing (a malformed URL, an over-long path parameter) get the same body. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message = FRAMEWORK_MESSAGES[err.code] ?? 'the request could not be routed';
  return reply.status(status).send({ error: { code: 'bad_url', message } });
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const issues = validationIssues(err);
      const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      return reply.status(400).send({ error: { code: 'validation_error', message, details: issues } });
    }
    const known = err.code ? CODE_STATUS[err.code] : undefined;
    if (known) {
      const [status, code, message] = known;
      return reply.status(status).send({ error: { code, message } });
    }
    if (err instanceof SyntaxError && (err as { statusCode?: number }).statusCode === 400) {
      return reply.status(400).send({ error: { code: 'invalid_json', message: 'body is not valid JSON' } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // @fastify/error upper-cases codes; the wire uses lower snake case throughout.
      const code = err.code && !err.code.startsWith('FST_') ? err.code.toLowerCase() : 'bad_request';
      return reply.status(status).send({ error: { code, message: err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
}
