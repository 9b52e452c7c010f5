import { z } from '@hono/zod-openapi';
import { createRouter, defineRoute } from '../router.js';

const Health = z.object({ status: z.literal('ok'), runtime: z.enum(['sqlite', 'd1']), version: z.string() }).openapi('Health');

export const health = createRouter().openapi(
  defineRoute({
    method: 'get', path: '/health', tags: ['Service'], summary: 'Liveness and the database behind this instance',
    operationId: 'getHealth', access: { public: true },
    responses: { 200: { description: 'The service is up', content: { 'application/json': { schema: Health.openapi({ example: { status: 'ok', runtime: 'sqlite', version: '0.1.0' } }) } } } },
  }),
  (c) => c.json({ status: 'ok' as const, runtime: c.get('driver').kind, version: '0.1.0' }, 200),
);
