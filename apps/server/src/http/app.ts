import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from '../config/config.js';
import { AppError } from '../domain/errors.js';
import type { AppContext } from './context.js';
import { frameworkErrors, registerErrorHandler } from './error-handler.js';
import { refuseNul } from './nul-guard.js';
import { API_ROUTES } from './routes.js';

/** Query parameters that carry credentials are never logged. */
export const redactUrl = (url: string) => url.replace(/([?&](?:token|ticket)=)[^&#]*/gi, '$1[REDACTED]');

export interface BuildOptions {
  /** Where logs go (tests capture them); stdout when absent. */
  logStream?: DestinationStream;
}

/** Hashed file names change with their content, so a browser may keep them for good. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const { serving } = ctx.config;
  // Only a page its users open over https may ask the browser to upgrade every request to https.
  const servedOverHttps = serving.tls !== undefined || serving.publicUrl?.startsWith('https:') === true;
  const app = createFastify(serving.tls, {
    logger: {
      level: ctx.config.logLevel,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token', 'req.query.ticket'],
      serializers: {
        req: (req) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
      },
    },
    bodyLimit: 1_048_576,
    trustProxy: serving.trustProxy,
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  registerErrorHandler(app);
  // Every route: no NUL character in any text field (storage cannot hold one).
  app.addHook('preValidation', refuseNul);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: servedOverHttps ? [] : null,
      },
    },
    // Browsers honour these on https only, and over plain HTTP log an error for each page.
    strictTransportSecurity: servedOverHttps,
    crossOriginOpenerPolicy: servedOverHttps,
    originAgentCluster: servedOverHttps,
  });
  // JSON and static files; `text/event-stream` never (the default types leave it out, and streams hijack the reply).
  await app.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false });
  if (serving.corsOrigins.length > 0) await allowOrigins(app, serving.corsOrigins);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tradewire API', version: ctx.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (csp) => (servedOverHttps ? csp : csp.replace(/\s*upgrade-insecure-requests;?/, '')),
  });

  for (const [prefix, plugin] of API_ROUTES) await app.register(plugin(ctx), { prefix });

  await serveWeb(app, ctx.config.webDist ?? fileURLToPath(new URL('../../../web/dist', import.meta.url)));
  return app;
}

/** Plain HTTP/1.1, or with a certificate HTTPS with HTTP/2 (and HTTP/1.1 for clients without it). */
function createFastify(tls: Config['serving']['tls'], options: FastifyServerOptions): FastifyInstance {
  if (!tls) return Fastify(options);
  // Routes are typed for node's http objects; HTTP/2's compatibility API gives them the same surface.
  const http2Options = {
    ...options,
    http2: true,
    https: { allowHTTP1: true, cert: tls.cert, key: tls.key },
    // HTTP/2 sessions are closed on shutdown; kept-alive HTTP/1.1 sockets on this server would hold it open.
    forceCloseConnections: true,
  };
  return Fastify(http2Options as FastifyServerOptions);
}

/**
 * Browsers on the listed origins may call the API and open the streams. Tokens travel in the
 * Authorization header or the query string, never in cookies, so no credentials mode.
 */
async function allowOrigins(app: FastifyInstance, origins: string[]) {
  const allowed = new Set(origins);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
    exposedHeaders: ['Retry-After', 'Content-Disposition'],
    maxAge: 600,
  });
  // The event streams hijack the reply and write their own head: it keeps what sits on the raw response.
  app.addHook('onRequest', async (_req, reply) => {
    for (const name of ['access-control-allow-origin', 'access-control-expose-headers', 'vary']) {
      const value = reply.getHeader(name);
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
  });
}

/**
 * The built dashboard at `/`, with unknown non-API paths answered by index.html (client routing).
 * Files under assets/ carry a content hash in their names and are cached for good; index.html is
 * revalidated on every load so a new build is picked up at once.
 */
async function serveWeb(app: FastifyInstance, root: string) {
  const hasWeb = existsSync(root);
  const assets = join(root, 'assets') + sep;
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: (res, path) => res.setHeader('cache-control', path.startsWith(assets) ? IMMUTABLE : 'no-cache'),
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // A preflight nobody answered: CORS is off (same origin only) or the origin is not allowed.
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      return reply.send(new AppError('forbidden', `origin ${req.headers.origin ?? '(none)'} is not in CORS_ORIGINS`));
    }
    if (req.method === 'GET' && hasWeb && !path.startsWith('/api/') && !path.startsWith('/assets/')) return reply.sendFile('index.html');
    return reply.send(new AppError('not_found', `no route ${req.method} ${path}`));
  });
}
