// Every resource's routes, mounted on the root app.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.js';
import { access } from './access.js';
import { analysis } from './analysis.js';
import { compute } from './compute.js';
import { cycles } from './cycles.js';
import { health } from './health.js';
import { methodologies } from './methodologies.js';
import { results } from './results.js';
import { scores } from './scores.js';
import { units } from './units.js';

export function mountRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const router of [health, methodologies, units, cycles, scores, results, analysis, compute, access]) app.route('/', router);
}
