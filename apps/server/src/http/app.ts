import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { AppError } from '../domain/errors.js';
import type { AppContext } from './context.js';
import { frameworkErrors, registerErrorHandler } from './error-handler.js';
import { API_ROUTES } from './routes.js';

/** Query parameters that carry credentials are never logged. */
export const redactUrl = (url: string) => url.replace(/([?&](?:token|ticket)=)[^&#]*/gi, '$1[REDACTED]');

export interface BuildOptions {
  /** Where logs go (tests capture them); stdout when absent. */
  logStream?: DestinationStream;
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: ctx.config.logLevel,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token', 'req.query.ticket'],
      serializers: {
        req: (req) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
      },
    },
    bodyLimit: 1_048_576,
    trustProxy: false,
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  registerErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tradewire API', version: ctx.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  for (const [prefix, plugin] of API_ROUTES) await app.register(plugin(ctx), { prefix });

  await serveWeb(app, ctx.config.webDist ?? fileURLToPath(new URL('../../../web/dist', import.meta.url)));
  return app;
}

/** The built dashboard at `/`, with unknown non-API paths answered by index.html (client routing). */
async function serveWeb(app: FastifyInstance, root: string) {
  const hasWeb = existsSync(root);
  if (hasWeb) await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (req.method === 'GET' && hasWeb && !path.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.send(new AppError('not_found', `no route ${req.method} ${path}`));
  });
}
