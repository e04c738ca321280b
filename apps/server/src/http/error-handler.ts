import type { FastifyError, FastifyInstance } from 'fastify';
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
      const params = v.params as { issue?: { code?: string; keys?: string[] } };
      if (params.issue?.code === 'unrecognized_keys' && params.issue.keys) {
        const at = field ? `${context}.${field}` : context;
        return { path: at, message: `unknown field ${params.issue.keys.map((k) => `'${k}'`).join(', ')}` };
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
      const code = err.code && !err.code.startsWith('FST_') ? err.code : 'bad_request';
      return reply.status(status).send({ error: { code, message: err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
}
