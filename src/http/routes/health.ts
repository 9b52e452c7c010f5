import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../router.js';

const Health = z.object({ status: z.literal('ok'), runtime: z.enum(['sqlite', 'd1']), version: z.string() }).openapi('Health');

export const health = createRouter().openapi(
  createRoute({
    method: 'get', path: '/health', tags: ['Service'], summary: 'Liveness and the database behind this instance',
    responses: { 200: { description: 'The service is up', content: { 'application/json': { schema: Health } } } },
  }),
  (c) => c.json({ status: 'ok' as const, runtime: c.get('driver').kind, version: '0.1.0' }, 200),
);
