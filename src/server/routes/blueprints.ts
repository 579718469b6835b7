import type { FastifyInstance } from 'fastify';
import type { BlueprintInput } from '../blueprint-store';
import type { ServerContext } from '../context';
import { errorResponses, jsonObject, pluginName, positiveId } from '../schemas';
import { pipelineSchema } from './pipelines';

const idParams = { type: 'object', required: ['id'], properties: { id: positiveId }, additionalProperties: false } as const;
const shortName = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' } as const;

const connection = {
  type: 'object',
  required: ['plugin', 'scopes'],
  properties: {
    plugin: pluginName,
    connectionId: positiveId,
    scopes: {
      type: 'array',
      maxItems: 1000,
      description: 'each the task options of one scope, or {"scopeId": "…"} for a scope saved under the connection',
      items: jsonObject,
    },
    scopeConfig: jsonObject,
    subtasks: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 255 } },
  },
  additionalProperties: false,
} as const;

const afterTask = {
  type: 'object',
  required: ['plugin'],
  properties: { plugin: pluginName, options: jsonObject, subtasks: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 255 } } },
  additionalProperties: false,
} as const;

const syncPolicy = {
  type: 'object',
  properties: { fullSync: { type: 'boolean' }, skipOnFail: { type: 'boolean' }, skipCollectors: { type: 'boolean' }, timeAfter: { type: 'string', format: 'date-time' } },
  additionalProperties: false,
} as const;

const fields = {
  name: shortName,
  project: { type: 'string', minLength: 1, maxLength: 255 },
  connections: { type: 'array', minItems: 1, maxItems: 100, items: connection },
  after: { type: 'array', maxItems: 100, items: afterTask },
  cron: { anyOf: [{ type: 'string', maxLength: 100 }, { type: 'null' }] },
  enabled: { type: 'boolean' },
  syncPolicy,
} as const;

const blueprint = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    project: { type: 'string' },
    connections: { type: 'array', items: { type: 'object', properties: { ...connection.properties, connectionId: { type: 'integer' } } } },
    after: { type: 'array', items: afterTask },
    cron: { type: 'string' },
    enabled: { type: 'boolean' },
    syncPolicy: { type: 'object', properties: { fullSync: { type: 'boolean' }, skipOnFail: { type: 'boolean' }, skipCollectors: { type: 'boolean' }, timeAfter: { type: 'string' } } },
    nextRunAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

/**
 * Blueprints (DevLake's: connections × scopes, a sync policy, a cron):
 * `POST/GET /blueprints`, `GET/PATCH/DELETE /blueprints/:id`,
 * `POST /blueprints/:id/trigger` (run now), `GET /blueprints/:id/pipelines`.
 */
export function registerBlueprintRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const tags = ['blueprints'];
  const service = ctx.blueprints;

  app.post(
    '/blueprints',
    {
      schema: {
        summary: 'Save a blueprint (scheduled when it has a cron and is enabled)',
        tags,
        body: { type: 'object', required: ['name', 'connections'], properties: fields, additionalProperties: false },
        response: { 201: blueprint, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await service.create(req.body as BlueprintInput)),
  );

  app.get('/blueprints', { schema: { summary: 'The saved blueprints', tags, response: { 200: { type: 'array', items: blueprint }, ...errorResponses } } }, async () => service.list());

  app.get('/blueprints/:id', { schema: { summary: 'One blueprint', tags, params: idParams, response: { 200: blueprint, ...errorResponses } } }, async (req) =>
    service.get((req.params as { id: number }).id),
  );

  app.patch(
    '/blueprints/:id',
    {
      schema: {
        summary: 'Change a blueprint (cron: null removes its schedule)',
        tags,
        params: idParams,
        body: { type: 'object', properties: fields, additionalProperties: false },
        response: { 200: blueprint, ...errorResponses },
      },
    },
    async (req) => service.update((req.params as { id: number }).id, req.body as Partial<BlueprintInput>),
  );

  app.delete('/blueprints/:id', { schema: { summary: 'Delete a blueprint and its schedule (its pipelines stay)', tags, params: idParams, response: { 200: blueprint, ...errorResponses } } }, async (req) =>
    service.delete((req.params as { id: number }).id),
  );

  app.post(
    '/blueprints/:id/trigger',
    { schema: { summary: "Run the blueprint now: its plan becomes a pipeline, started at once", tags, params: idParams, response: { 201: pipelineSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await service.trigger((req.params as { id: number }).id)),
  );

  app.get(
    '/blueprints/:id/pipelines',
    {
      schema: {
        summary: 'The newest pipelines made from the blueprint',
        tags,
        params: idParams,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } }, additionalProperties: false },
        response: { 200: { type: 'array', items: pipelineSchema }, ...errorResponses },
      },
    },
    async (req) => service.pipelines((req.params as { id: number }).id, (req.query as { limit?: number }).limit ?? 20),
  );
}
