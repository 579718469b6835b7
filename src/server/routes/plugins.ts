import type { FastifyInstance } from 'fastify';
import { isPluginApi, isPluginTask } from '../../core/plugin';
import { isPluginConnectionTester } from '../connection-test';
import type { ServerContext } from '../context';
import { errorResponses } from '../schemas';

/** `GET /plugins`: every loaded plugin, its subtasks and what it offers. */
export function registerPluginRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/plugins',
    {
      schema: {
        summary: 'The plugins the server loaded',
        tags: ['plugins'],
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                description: { type: 'string' },
                subtasks: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { name: { type: 'string' }, enabledByDefault: { type: 'boolean' }, description: { type: 'string' } },
                  },
                },
                connections: { type: 'boolean', description: 'takes saved connections (every plugin that runs subtasks)' },
                scopes: { type: 'boolean', description: 'its scopes can be saved per connection' },
                connectionTest: { type: 'boolean', description: 'brings its own connection test (else: GET of the endpoint)' },
                apiResources: { type: 'array', items: { type: 'string' } },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () =>
      [...ctx.plugins.values()].map(({ plugin, location }) => ({
        name: location.name,
        description: plugin.description,
        subtasks: isPluginTask(plugin) ? plugin.subTaskMetas().map((m) => ({ name: m.name, enabledByDefault: m.enabledByDefault, description: m.description })) : [],
        connections: isPluginTask(plugin),
        scopes: isPluginTask(plugin),
        connectionTest: isPluginConnectionTester(plugin),
        apiResources: isPluginApi(plugin) ? Object.keys(plugin.apiResources()) : [],
      })),
  );
}
