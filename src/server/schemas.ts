/**
 * JSON schemas shared by the route groups. Every route declares its params,
 * query, body and answers with these: input is validated (a 400 names the
 * field), answers are serialized from the schema (a property not in it is never
 * sent), and `/openapi.json` is generated from them.
 */

/** A plugin name as it appears in a path: lower case, no dots or slashes (no path traversal). */
export const pluginName = { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,63}$', description: 'plugin name, e.g. icla' } as const;
export const positiveId = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

export const pluginParams = {
  type: 'object',
  required: ['plugin'],
  properties: { plugin: pluginName },
  additionalProperties: false,
} as const;

export const connectionParams = {
  type: 'object',
  required: ['plugin', 'connectionId'],
  properties: { plugin: pluginName, connectionId: positiveId },
  additionalProperties: false,
} as const;

export const errorBody = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    hint: { type: 'string' },
    field: { type: 'string' },
  },
} as const;

/** The error answers every route may give. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  404: errorBody,
  409: errorBody,
  413: errorBody,
  500: errorBody,
} as const;

const shortText = (max: number) => ({ type: 'string', maxLength: max }) as const;
const httpUrl = { type: 'string', maxLength: 500, pattern: '^https?://' } as const;

/** Auth as a client sends it; which fields are required depends on `type` and is checked by the store. */
export const authInput = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['none', 'bearer', 'basic', 'header'] },
    token: shortText(4096),
    username: shortText(255),
    password: shortText(4096),
    name: shortText(100),
    value: shortText(4096),
  },
  additionalProperties: false,
} as const;

const connectionFields = {
  name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' },
  endpoint: { anyOf: [httpUrl, { type: 'string', maxLength: 0 }] },
  auth: authInput,
  proxy: { anyOf: [httpUrl, { type: 'string', maxLength: 0 }, { type: 'string', const: '********' }] },
  rateLimitPerHour: { anyOf: [{ type: 'integer', minimum: 1, maximum: 10_000_000 }, { type: 'null' }] },
} as const;

export const connectionCreateBody = {
  type: 'object',
  required: ['name'],
  properties: connectionFields,
  additionalProperties: false,
} as const;

export const connectionPatchBody = {
  type: 'object',
  properties: connectionFields,
  additionalProperties: false,
} as const;

/** A connection as answered: secrets are `********`; the schema lists every property that may leave the server. */
export const maskedConnection = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    plugin: { type: 'string' },
    name: { type: 'string' },
    endpoint: { type: 'string' },
    auth: {
      type: 'object',
      properties: {
        type: { type: 'string' },
        token: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        value: { type: 'string' },
      },
    },
    proxy: { type: 'string' },
    rateLimitPerHour: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const connectionTestResult = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    message: { type: 'string' },
    status: { type: 'integer' },
    durationMs: { type: 'integer' },
  },
} as const;

/** Any JSON object (plugin options, scope config data), bounded by the body limit. */
export const jsonObject = { type: 'object', additionalProperties: true } as const;
