import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDevlakeError, type ErrorCode } from '../core/errors';
import type { Logger } from '../core/logger';
import { redact } from '../core/redact';

/** The body of every error answer: a stable code, one line, a hint, and the field at fault when there is one. */
export interface ErrorBody {
  code: ErrorCode | 'DEVLAKE_E_SERVER_UNAUTHORIZED';
  message: string;
  hint?: string;
  field?: string;
}

/** The HTTP status a DevlakeError code stands for. */
export function statusOf(code: string): number {
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_CONFLICT')) return 409;
  if (code === 'DEVLAKE_E_CANCELLED' || code === 'DEVLAKE_E_PIPELINE_RUNNING') return 409;
  if (code === 'DEVLAKE_E_SECRET_KEY_MISSING' || code === 'DEVLAKE_E_SECRET_DECRYPT') return 500;
  if (/_(INVALID|USAGE|OPTIONS_JSON|TIME_AFTER|SUBTASK_UNKNOWN|SERVER_REQUEST|API_CONFIG|PIPELINE_PLAN|BLUEPRINT)$/.test(code) || code === 'DEVLAKE_E_USAGE') return 400;
  return 500;
}

/** `body/auth/token must be string` → `auth.token`. */
function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const missing = (v.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {};
  const parts = v.instancePath.split('/').filter(Boolean);
  if (missing.missingProperty) parts.push(missing.missingProperty);
  if (missing.additionalProperty) parts.push(missing.additionalProperty);
  return parts.join('.') || err.validationContext;
}

/**
 * The one error handler of the server: schema failures and malformed or
 * oversized bodies are 400/413 naming the field; DevlakeErrors keep their code
 * and hint; anything else is a 500 with no detail (its redacted message goes
 * to the log). Every message is redacted.
 */
export function errorHandler(logger: Logger) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (err.validation) {
      const field = fieldOf(err);
      const message = `Invalid ${err.validationContext ?? 'request'}: ${field ? `"${field}" ` : ''}${err.validation[0]?.message ?? 'is invalid'}`;
      return reply.status(400).send({ code: 'DEVLAKE_E_SERVER_REQUEST', message: redact(message), hint: 'See /openapi.json for the expected shape.', ...(field ? { field } : {}) } satisfies ErrorBody);
    }
    if (isDevlakeError(err)) {
      const field = typeof err.data?.field === 'string' ? err.data.field : undefined;
      const status = statusOf(err.code);
      if (status === 500) logger.error(`${request.method} ${redact(request.url)}: ${err.code} ${redact(err.message)}`);
      return reply
        .status(status)
        .send({ code: err.code, message: redact(err.message), ...(err.hint ? { hint: redact(err.hint) } : {}), ...(field ? { field } : {}) } satisfies ErrorBody);
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      // Fastify's own request errors: malformed JSON, a body too large, a wrong content type.
      const message =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'The request body is too large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'Send the body as application/json'
            : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
              ? 'The JSON body is empty'
              : `Malformed request: ${err.message}`;
      return reply.status(status).send({ code: 'DEVLAKE_E_SERVER_REQUEST', message: redact(message), field: 'body' } satisfies ErrorBody);
    }
    logger.error(`${request.method} ${redact(request.url)}: ${redact(err.message)}`);
    return reply.status(500).send({ code: 'DEVLAKE_E_INTERNAL', message: 'Internal error', hint: 'The server log has the details.' } satisfies ErrorBody);
  };
}
