import type { FastifyInstance } from 'fastify';
import { redact } from '../core/redact';
import type { ServerContext } from './context';
import { errorHandler } from './http-errors';
import { registerBlueprintRoutes } from './routes/blueprints';
import { registerConnectionRoutes } from './routes/connections';
import { registerMetaRoutes } from './routes/meta';
import { registerPluginApiRoutes } from './routes/plugin-api';
import { registerPipelineRoutes } from './routes/pipelines';
import { registerPluginRoutes } from './routes/plugins';
import { registerScopeRoutes } from './routes/scopes';
import { isWebPath, registerWebRoutes, webFiles } from './routes/web';

/** Limits of every request, in one place. */
export const SERVER_LIMITS = {
  bodyLimit: 256 * 1024, // 256 KiB per request body
  paramLength: 300, // characters per path parameter
  requestTimeoutMs: 60_000, // 1 min to receive a whole request
} as const;

/** How the server guards its API. */
export interface ServerAccess {
  /** True: every API request needs `Authorization: Bearer <key>` (any host but loopback). */
  requireApiKey: boolean;
}

/**
 * Builds the Fastify app of `devlake serve` over `ctx`: routes with JSON
 * schemas (validated input, serialized answers, `/openapi.json`), the API key
 * check, one error handler, and request lines (method, redacted path, status,
 * time; never bodies or headers) at debug level. CORS is off: no
 * Access-Control header is ever sent, so browsers refuse cross-origin calls.
 */
export async function buildServer(ctx: ServerContext, access: ServerAccess): Promise<FastifyInstance> {
  const fastify = require('fastify') as typeof import('fastify').default;
  const app = fastify({
    logger: false,
    bodyLimit: SERVER_LIMITS.bodyLimit,
    requestTimeout: SERVER_LIMITS.requestTimeoutMs,
    routerOptions: { maxParamLength: SERVER_LIMITS.paramLength },
    ajv: { customOptions: { allErrors: false, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  const swagger = require('@fastify/swagger') as typeof import('@fastify/swagger').default;
  await app.register(swagger, {
    openapi: {
      info: { title: 'devlake-ts', description: 'Connections, scopes, pipelines and plugin resources of devlake-ts', version: ctx.version },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key (devlake api-key create)' } } },
      security: access.requireApiKey ? [{ apiKey: [] }] : [],
    },
  });

  const files = webFiles();
  app.addHook('onRequest', async (req, reply) => {
    if (!access.requireApiKey || (req.method === 'GET' && isWebPath(req.url, files))) return;
    const header = req.headers.authorization ?? '';
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
    if (!(await ctx.apiKeys.verify(key))) {
      // The same answer for a missing and a wrong key: nothing to learn from it.
      await reply.status(401).header('www-authenticate', 'Bearer').send({ code: 'DEVLAKE_E_SERVER_UNAUTHORIZED', message: 'Unauthorized' });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    ctx.logger.debug(`${req.method} ${redact(req.url)} ${reply.statusCode} ${Math.round(reply.elapsedTime)}ms`);
  });
  app.setErrorHandler(errorHandler(ctx.logger));
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ code: 'DEVLAKE_E_SERVER_REQUEST', message: `No route ${req.method} ${redact(req.url.split('?')[0]).slice(0, 200)}`, hint: 'See /openapi.json.' });
  });

  const serverRoutes: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) serverRoutes.push({ method, url: route.url });
  });
  registerMetaRoutes(app, ctx);
  registerPluginRoutes(app, ctx);
  registerConnectionRoutes(app, ctx);
  registerScopeRoutes(app, ctx);
  registerPipelineRoutes(app, ctx);
  registerBlueprintRoutes(app, ctx);
  registerWebRoutes(app, files);
  // Last: a plugin's resource never shadows a route of the server.
  registerPluginApiRoutes(app, ctx, [...serverRoutes]);
  // Saved blueprints with a cron run on it while the server is up.
  app.addHook('onClose', async () => ctx.blueprints.close());
  await app.ready();
  await ctx.blueprints.start();
  return app;
}
