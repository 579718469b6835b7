import type { FastifyInstance, FastifyReply, HTTPMethods } from 'fastify';
import type { ApiResourceHandler } from '../../core/plugin';
import { isPluginApi } from '../../core/plugin';
import type { ServerContext } from '../context';
import { errorResponses } from '../schemas';

const METHODS: readonly HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** A resource path: segments of letters, digits, `-`, `_`, `.` or a `:param`; no `..`, no wildcards. */
const RESOURCE_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*|:[A-Za-z][A-Za-z0-9_]*)(?:\/(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*|:[A-Za-z][A-Za-z0-9_]*))*$/;

/**
 * Mounts each plugin's `apiResources()` under `/plugins/<plugin>/<path>`.
 * Registered after the server's own routes: a path and method the server
 * already serves stays the server's (logged), as does an invalid path.
 */
export function registerPluginApiRoutes(app: FastifyInstance, ctx: ServerContext, serverRoutes: ReadonlyArray<{ method: string; url: string }>): void {
  for (const [name, { plugin }] of ctx.plugins) {
    if (!isPluginApi(plugin)) continue;
    let resources: Record<string, Record<string, ApiResourceHandler>>;
    try {
      resources = plugin.apiResources();
    } catch (err) {
      ctx.logger.warn(`plugin ${name}: apiResources() threw, none mounted: ${(err as Error).message}`);
      continue;
    }
    for (const [resource, handlers] of Object.entries(resources)) {
      const rel = resource.replace(/^\/+|\/+$/g, '');
      if (!RESOURCE_PATH.test(rel)) {
        ctx.logger.warn(`plugin ${name}: api resource "${resource}" is not a plain path, not mounted`);
        continue;
      }
      const url = `/plugins/${name}/${rel}`;
      for (const [method, handler] of Object.entries(handlers)) {
        const m = method.toUpperCase() as HTTPMethods;
        if (!METHODS.includes(m) || typeof handler !== 'function') {
          ctx.logger.warn(`plugin ${name}: ${method} ${resource} is not a GET/POST/PUT/PATCH/DELETE handler, not mounted`);
          continue;
        }
        if (overlapsServerRoute(serverRoutes, m, url)) {
          ctx.logger.warn(`plugin ${name}: ${m} ${url} is served by the server itself; the plugin's handler is not mounted`);
          continue;
        }
        mount(app, ctx, name, m, url, handler);
      }
    }
  }
}

/**
 * True when some URL both `url` and a server route of the same method would
 * match: same number of segments, each equal or a parameter on either side.
 * (A static plugin path such as `connections` would otherwise win over the
 * server's `:plugin/connections` in the router.)
 */
function overlapsServerRoute(serverRoutes: ReadonlyArray<{ method: string; url: string }>, method: string, url: string): boolean {
  const segs = url.split('/');
  return serverRoutes.some((r) => {
    if (r.method !== method) return false;
    const other = r.url.split('/');
    return other.length === segs.length && other.every((o, i) => o === segs[i] || o.startsWith(':') || segs[i].startsWith(':'));
  });
}

function mount(app: FastifyInstance, ctx: ServerContext, plugin: string, method: HTTPMethods, url: string, handler: ApiResourceHandler): void {
  const params = [...url.matchAll(/:([A-Za-z][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  const logger = ctx.logger.child({ plugin });
  app.route({
    method,
    url,
    schema: {
      summary: `${plugin}'s own resource`,
      tags: [`plugin ${plugin}`],
      params: {
        type: 'object',
        properties: Object.fromEntries(params.map((p) => [p, { type: 'string', maxLength: 255 }])),
      },
      querystring: { type: 'object', additionalProperties: { type: 'string', maxLength: 2000 } },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: { description: 'any JSON the plugin accepts' } }),
      response: errorResponses,
    },
    handler: async (req, reply) => {
      const out = await handler({
        params: req.params as Record<string, string>,
        query: req.query as Record<string, string>,
        body: req.body,
        context: {
          db: ctx.dal,
          logger,
          config: ctx.config,
          openConnection: (idOrName) => ctx.connections.open(plugin, idOrName),
        },
      });
      return (reply as FastifyReply).status(out?.status ?? 200).send(out?.body ?? null);
    },
  });
}
