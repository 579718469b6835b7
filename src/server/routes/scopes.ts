import type { FastifyInstance } from 'fastify';
import type { ScopeInput } from '../../connections/scope-store';
import { pluginOf, type ServerContext } from '../context';
import { connectionParams, errorResponses, jsonObject, pluginName, positiveId } from '../schemas';

type ConnectionParams = { plugin: string; connectionId: number };

const scope = {
  type: 'object',
  properties: {
    plugin: { type: 'string' },
    connectionId: { type: 'integer' },
    scopeId: { type: 'string' },
    name: { type: 'string' },
    scopeConfigId: { type: 'integer' },
    options: jsonObject,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const scopeConfig = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    plugin: { type: 'string' },
    connectionId: { type: 'integer' },
    name: { type: 'string' },
    data: jsonObject,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const scopeInput = {
  type: 'object',
  required: ['scopeId'],
  properties: {
    scopeId: { type: 'string', minLength: 1, maxLength: 255 },
    name: { type: 'string', minLength: 1, maxLength: 255 },
    scopeConfigId: { anyOf: [positiveId, { type: 'null' }] },
    options: jsonObject,
  },
  additionalProperties: false,
} as const;

const scopeParams = {
  type: 'object',
  required: ['plugin', 'connectionId', 'scopeId'],
  properties: { plugin: pluginName, connectionId: positiveId, scopeId: { type: 'string', minLength: 1, maxLength: 255 } },
  additionalProperties: false,
} as const;

const scopeConfigParams = {
  type: 'object',
  required: ['plugin', 'connectionId', 'scopeConfigId'],
  properties: { plugin: pluginName, connectionId: positiveId, scopeConfigId: positiveId },
  additionalProperties: false,
} as const;

const scopeConfigBody = (required: string[]) =>
  ({
    type: 'object',
    required,
    properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, data: jsonObject },
    additionalProperties: false,
  }) as const;

/**
 * Scopes and scope configs of a saved connection, in DevLake's shape:
 * `GET/PUT …/connections/:connectionId/scopes`, `GET/DELETE …/scopes/:scopeId`,
 * `GET/POST …/scope-configs`, `GET/PATCH/DELETE …/scope-configs/:scopeConfigId`.
 */
export function registerScopeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const tags = ['scopes'];
  const base = '/plugins/:plugin/connections/:connectionId';
  /** The plugin and the connection must exist before anything under them is touched. */
  const check = async (p: ConnectionParams) => {
    pluginOf(ctx, p.plugin);
    await ctx.connections.get(p.plugin, p.connectionId);
  };

  app.get(`${base}/scopes`, { schema: { summary: 'The scopes of a connection', tags, params: connectionParams, response: { 200: { type: 'array', items: scope }, ...errorResponses } } }, async (req) => {
    const p = req.params as ConnectionParams;
    await check(p);
    return ctx.scopes.listScopes(p.plugin, p.connectionId);
  });

  app.put(
    `${base}/scopes`,
    {
      schema: {
        summary: 'Add or replace scopes by scopeId',
        tags,
        params: connectionParams,
        body: { type: 'object', required: ['data'], properties: { data: { type: 'array', minItems: 1, maxItems: 1000, items: scopeInput } }, additionalProperties: false },
        response: { 200: { type: 'array', items: scope }, ...errorResponses },
      },
    },
    async (req) => {
      const p = req.params as ConnectionParams;
      await check(p);
      return ctx.scopes.putScopes(p.plugin, p.connectionId, (req.body as { data: ScopeInput[] }).data);
    },
  );

  app.get(`${base}/scopes/:scopeId`, { schema: { summary: 'One scope', tags, params: scopeParams, response: { 200: scope, ...errorResponses } } }, async (req) => {
    const p = req.params as ConnectionParams & { scopeId: string };
    await check(p);
    return ctx.scopes.getScope(p.plugin, p.connectionId, p.scopeId);
  });

  app.delete(`${base}/scopes/:scopeId`, { schema: { summary: 'Delete a scope', tags, params: scopeParams, response: { 200: scope, ...errorResponses } } }, async (req) => {
    const p = req.params as ConnectionParams & { scopeId: string };
    await check(p);
    return ctx.scopes.deleteScope(p.plugin, p.connectionId, p.scopeId);
  });

  app.get(
    `${base}/scope-configs`,
    { schema: { summary: 'The scope configs of a connection', tags, params: connectionParams, response: { 200: { type: 'array', items: scopeConfig }, ...errorResponses } } },
    async (req) => {
      const p = req.params as ConnectionParams;
      await check(p);
      return ctx.scopes.listScopeConfigs(p.plugin, p.connectionId);
    },
  );

  app.post(
    `${base}/scope-configs`,
    { schema: { summary: 'Save a scope config', tags, params: connectionParams, body: scopeConfigBody(['name']), response: { 201: scopeConfig, ...errorResponses } } },
    async (req, reply) => {
      const p = req.params as ConnectionParams;
      await check(p);
      return reply.status(201).send(await ctx.scopes.createScopeConfig(p.plugin, p.connectionId, req.body as { name: string; data?: Record<string, unknown> }));
    },
  );

  app.get(`${base}/scope-configs/:scopeConfigId`, { schema: { summary: 'One scope config', tags, params: scopeConfigParams, response: { 200: scopeConfig, ...errorResponses } } }, async (req) => {
    const p = req.params as ConnectionParams & { scopeConfigId: number };
    await check(p);
    return ctx.scopes.getScopeConfig(p.plugin, p.connectionId, p.scopeConfigId);
  });

  app.patch(
    `${base}/scope-configs/:scopeConfigId`,
    { schema: { summary: 'Change a scope config', tags, params: scopeConfigParams, body: scopeConfigBody([]), response: { 200: scopeConfig, ...errorResponses } } },
    async (req) => {
      const p = req.params as ConnectionParams & { scopeConfigId: number };
      await check(p);
      return ctx.scopes.updateScopeConfig(p.plugin, p.connectionId, p.scopeConfigId, req.body as { name?: string; data?: Record<string, unknown> });
    },
  );

  app.delete(
    `${base}/scope-configs/:scopeConfigId`,
    { schema: { summary: 'Delete a scope config (its scopes keep running without one)', tags, params: scopeConfigParams, response: { 200: scopeConfig, ...errorResponses } } },
    async (req) => {
      const p = req.params as ConnectionParams & { scopeConfigId: number };
      await check(p);
      return ctx.scopes.deleteScopeConfig(p.plugin, p.connectionId, p.scopeConfigId);
    },
  );
}
