import type { FastifyInstance } from 'fastify';
import type { ConnectionInput } from '../../connections/connection-store';
import { testConnection } from '../connection-test';
import { pluginOf, type ServerContext } from '../context';
import {
  connectionCreateBody,
  connectionParams,
  connectionPatchBody,
  connectionTestResult,
  errorResponses,
  maskedConnection,
  pluginParams,
} from '../schemas';

type PluginParams = { plugin: string };
type ConnectionParams = { plugin: string; connectionId: number };

/**
 * Connections per plugin: `POST/GET /plugins/:plugin/connections`,
 * `GET/PATCH/DELETE /plugins/:plugin/connections/:connectionId`, and the
 * connection tests `POST /plugins/:plugin/test` (unsaved) and
 * `POST /plugins/:plugin/connections/:connectionId/test` (saved). Answers are
 * masked; a test's message is redacted.
 */
export function registerConnectionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const tags = ['connections'];

  app.get(
    '/plugins/:plugin/connections',
    { schema: { summary: 'The saved connections of a plugin (secrets masked)', tags, params: pluginParams, response: { 200: { type: 'array', items: maskedConnection }, ...errorResponses } } },
    async (req) => {
      const { plugin } = req.params as PluginParams;
      pluginOf(ctx, plugin);
      return ctx.connections.list(plugin);
    },
  );

  app.post(
    '/plugins/:plugin/connections',
    { schema: { summary: 'Save a connection; its secrets are encrypted at rest', tags, params: pluginParams, body: connectionCreateBody, response: { 201: maskedConnection, ...errorResponses } } },
    async (req, reply) => {
      const { plugin } = req.params as PluginParams;
      pluginOf(ctx, plugin);
      const created = await ctx.connections.create(plugin, normalize(req.body as ConnectionInput) as ConnectionInput);
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/plugins/:plugin/connections/:connectionId',
    { schema: { summary: 'One connection (secrets masked)', tags, params: connectionParams, response: { 200: maskedConnection, ...errorResponses } } },
    async (req) => {
      const { plugin, connectionId } = req.params as ConnectionParams;
      pluginOf(ctx, plugin);
      return ctx.connections.get(plugin, connectionId);
    },
  );

  app.patch(
    '/plugins/:plugin/connections/:connectionId',
    {
      schema: {
        summary: 'Change a connection; a secret left out or sent back masked keeps its saved value',
        tags,
        params: connectionParams,
        body: connectionPatchBody,
        response: { 200: maskedConnection, ...errorResponses },
      },
    },
    async (req) => {
      const { plugin, connectionId } = req.params as ConnectionParams;
      pluginOf(ctx, plugin);
      return ctx.connections.update(plugin, connectionId, normalize(req.body as Partial<ConnectionInput>));
    },
  );

  app.delete(
    '/plugins/:plugin/connections/:connectionId',
    { schema: { summary: 'Delete a connection with its scopes and scope configs', tags, params: connectionParams, response: { 200: maskedConnection, ...errorResponses } } },
    async (req) => {
      const { plugin, connectionId } = req.params as ConnectionParams;
      pluginOf(ctx, plugin);
      const deleted = await ctx.connections.delete(plugin, connectionId);
      await ctx.scopes.deleteAllOf(plugin, connectionId);
      return deleted;
    },
  );

  app.post(
    '/plugins/:plugin/test',
    {
      schema: {
        summary: 'Test connection settings before saving them',
        tags,
        params: pluginParams,
        body: connectionCreateBody,
        response: { 200: connectionTestResult, ...errorResponses },
      },
    },
    async (req) => {
      const { plugin } = req.params as PluginParams;
      const loaded = pluginOf(ctx, plugin);
      const input = normalize(req.body as ConnectionInput) as ConnectionInput;
      const connection = { id: 0, plugin, name: input.name, endpoint: input.endpoint || undefined, auth: input.auth ?? { type: 'none' as const }, proxy: input.proxy || undefined, rateLimitPerHour: input.rateLimitPerHour || undefined };
      return testConnection({ plugin: loaded.plugin, connection, dal: ctx.dal, config: ctx.config, logger: ctx.logger.child({ plugin }), timeoutMs: ctx.connectionTestTimeoutMs });
    },
  );

  app.post(
    '/plugins/:plugin/connections/:connectionId/test',
    { schema: { summary: 'Test a saved connection', tags, params: connectionParams, response: { 200: connectionTestResult, ...errorResponses } } },
    async (req) => {
      const { plugin, connectionId } = req.params as ConnectionParams;
      const loaded = pluginOf(ctx, plugin);
      const connection = await ctx.connections.open(plugin, connectionId);
      return testConnection({ plugin: loaded.plugin, connection, dal: ctx.dal, config: ctx.config, logger: ctx.logger.child({ plugin }), timeoutMs: ctx.connectionTestTimeoutMs });
    },
  );
}

/** Empty strings and nulls mean "not set". */
function normalize(body: Partial<ConnectionInput> & { rateLimitPerHour?: number | null }): Partial<ConnectionInput> {
  const out: Partial<ConnectionInput> = { ...body, rateLimitPerHour: body.rateLimitPerHour ?? undefined };
  if (body.rateLimitPerHour === null) out.rateLimitPerHour = 0; // PATCH: 0 clears it
  return out;
}
