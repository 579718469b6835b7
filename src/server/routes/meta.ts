/// <reference types="@fastify/swagger" />
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { errorResponses } from '../schemas';

/** `GET /health` (database and queue reachable), `GET /version`, `GET /openapi.json`. */
export function registerMetaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether the database (and the queue, when pipelines run on one) answer',
        tags: ['server'],
        response: {
          200: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, database: { type: 'string' }, queue: { type: 'string' } },
          },
          503: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, database: { type: 'string' }, queue: { type: 'string' } },
          },
          ...errorResponses,
        },
      },
    },
    async (_req, reply) => {
      const database = await ctx.dal.knex
        .raw('select 1')
        .then(() => 'ok')
        .catch(() => 'unreachable');
      const queue = ctx.pingQueue
        ? await ctx.pingQueue().then(
            () => 'ok',
            () => 'unreachable',
          )
        : 'in process';
      const ok = database === 'ok' && queue !== 'unreachable';
      return reply.status(ok ? 200 : 503).send({ ok, database, queue });
    },
  );

  app.get(
    '/version',
    {
      schema: {
        summary: 'The devlake-ts version and the database kind',
        tags: ['server'],
        response: { 200: { type: 'object', properties: { version: { type: 'string' }, dialect: { type: 'string' } } }, ...errorResponses },
      },
    },
    async () => ({ version: ctx.version, dialect: ctx.dal.dialect }),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
