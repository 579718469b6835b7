import type { FastifyInstance } from 'fastify';
import { redact } from '../../core/redact';
import { readTaskLog } from '../../pipeline/task-log';
import { pluginOf, type ServerContext } from '../context';
import type { PlanTaskInput } from '../pipeline-service';
import { errorResponses, jsonObject, pluginName, positiveId } from '../schemas';

/** How often a log stream of a task this server does not run reads its stored lines and status. */
const STORED_POLL_MS = 500;
/** A comment line on idle streams, so proxies keep them open. */
const HEARTBEAT_MS = 15_000;
const FINAL = new Set(['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED']);

const idParams = { type: 'object', required: ['id'], properties: { id: positiveId }, additionalProperties: false } as const;

const task = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    plugin: { type: 'string' },
    stage: { type: 'integer' },
    status: { type: 'string' },
    message: { type: ['string', 'null'] },
    errorCode: { type: ['string', 'null'] },
    options: jsonObject,
    done: { type: 'integer' },
    total: { type: 'integer' },
    subtasks: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, status: { type: 'string' }, rowsWritten: { type: 'integer' } } } },
    beganAt: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'] },
  },
} as const;

export const pipelineSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    status: { type: 'string' },
    message: { type: ['string', 'null'] },
    queue: { type: ['string', 'null'] },
    blueprintId: { type: ['integer', 'null'] },
    beganAt: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'] },
    tasks: { type: 'array', items: task },
  },
} as const;

const planTask = {
  type: 'object',
  required: ['plugin'],
  properties: {
    plugin: pluginName,
    connectionId: positiveId,
    scopeId: { type: 'string', minLength: 1, maxLength: 255 },
    options: jsonObject,
    subtasks: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 255 } },
  },
  additionalProperties: false,
} as const;

/** The SSE form of a line: one `data:` per line of text. */
const sse = (event: string, data: string) => `event: ${event}\n${data.split(/\r?\n/).map((l) => `data: ${l}`).join('\n')}\n\n`;

/**
 * Pipelines over HTTP: `POST/GET /pipelines`, `GET /pipelines/:id`,
 * `POST /pipelines/:id/cancel`, `POST /pipelines/:id/rerun`,
 * `GET /pipelines/:id/tasks`, and a task's log as server-sent events
 * (`GET /tasks/:id/logs`: `event: log` per line, `event: end` with the status).
 */
export function registerPipelineRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const tags = ['pipelines'];
  const service = ctx.pipelines;

  app.post(
    '/pipelines',
    {
      schema: {
        summary: 'Create a pipeline from a plan (stages of tasks) and start it',
        tags,
        body: {
          type: 'object',
          required: ['plan'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 255 },
            plan: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'array', minItems: 1, maxItems: 100, items: planTask } },
            skipOnFail: { type: 'boolean' },
            fullSync: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: { 201: pipelineSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body as { name?: string; plan: PlanTaskInput[][]; skipOnFail?: boolean; fullSync?: boolean };
      for (const stage of body.plan) for (const t of stage) pluginOf(ctx, t.plugin);
      return reply.status(201).send(await service.create(body));
    },
  );

  app.get(
    '/pipelines',
    {
      schema: {
        summary: 'The newest pipelines, with their tasks and progress',
        tags,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } }, additionalProperties: false },
        response: { 200: { type: 'array', items: pipelineSchema }, ...errorResponses },
      },
    },
    async (req) => service.list((req.query as { limit?: number }).limit ?? 20),
  );

  app.get('/pipelines/:id', { schema: { summary: 'One pipeline with its tasks and progress', tags, params: idParams, response: { 200: pipelineSchema, ...errorResponses } } }, async (req) =>
    service.get((req.params as { id: number }).id),
  );

  app.get(
    '/pipelines/:id/tasks',
    { schema: { summary: "A pipeline's tasks and their subtasks' progress", tags, params: idParams, response: { 200: { type: 'array', items: task }, ...errorResponses } } },
    async (req) => (await service.get((req.params as { id: number }).id)).tasks,
  );

  app.post(
    '/pipelines/:id/cancel',
    { schema: { summary: 'Cancel: running tasks stop at their next batch, the rest never start', tags, params: idParams, response: { 200: pipelineSchema, ...errorResponses } } },
    async (req) => service.cancel((req.params as { id: number }).id),
  );

  app.post(
    '/pipelines/:id/rerun',
    { schema: { summary: 'Run again the tasks that did not complete', tags, params: idParams, response: { 200: pipelineSchema, ...errorResponses } } },
    async (req) => service.rerun((req.params as { id: number }).id),
  );

  app.get(
    '/tasks/:id/logs',
    {
      schema: {
        summary: "A task's log as server-sent events: `log` per line while it runs, then `end` with its status",
        tags,
        params: idParams,
        response: { 200: { type: 'string', description: 'text/event-stream' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = (req.params as { id: number }).id;
      const status = await service.taskStatus(id);
      if (status === undefined) return reply.status(404).send({ code: 'DEVLAKE_E_PIPELINE_NOT_FOUND', message: `No task with id ${id}` });
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
      let closed = false;
      const timers: NodeJS.Timeout[] = [];
      let unsubscribe = () => undefined as unknown;
      const close = () => {
        if (closed) return;
        closed = true;
        timers.forEach(clearInterval);
        unsubscribe();
        res.end();
      };
      req.raw.on('close', close);
      timers.push(setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS));
      if (service.logs.isLocal(id)) {
        // This server runs (or ran) the task: its lines so far, then each new one, then the end.
        unsubscribe = service.logs.subscribe(id, (event) => {
          if (closed) return;
          if (event.type === 'log') res.write(sse('log', redact(event.line)));
          else {
            res.write(sse('end', JSON.stringify({ status: event.status })));
            close();
          }
        });
        return;
      }
      // A task run by a worker, another server, or before this server started: its stored lines,
      // polled until its row is final (then once more, for the lines its process wrote last).
      let after = 0;
      let sent = 0;
      let finalStatus: string | undefined = FINAL.has(status) ? status : undefined;
      let busy = false;
      const pump = async () => {
        if (busy || closed) return;
        busy = true;
        try {
          const ending = finalStatus;
          for (;;) {
            const rows = await readTaskLog(ctx.dal, id, after, 500);
            for (const r of rows) if (!closed) res.write(sse('log', redact(r.line)));
            sent += rows.length;
            if (rows.length) after = rows[rows.length - 1].id;
            if (rows.length < 500) break;
          }
          if (ending !== undefined) {
            if (!sent && !closed) res.write(sse('log', '(no log was stored for this task)'));
            if (!closed) res.write(sse('end', JSON.stringify({ status: ending })));
            close();
            return;
          }
          const s = await service.taskStatus(id);
          if (s && FINAL.has(s)) finalStatus = s;
        } catch (err) {
          if (!closed) res.write(sse('end', JSON.stringify({ status: 'UNKNOWN', error: redact((err as Error).message) })));
          close();
        } finally {
          busy = false;
        }
      };
      if (finalStatus === undefined) timers.push(setInterval(() => void pump(), STORED_POLL_MS));
      void pump();
    },
  );
}
