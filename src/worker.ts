// Worker entry: the same app over Cloudflare D1 (binding DB); the rate limit counted in a Durable
// Object per key (binding RATE_LIMITER), so that it holds across isolates and locations.
import { createApp } from './http/app.js';
import { memoryCounter } from './http/rate-limit.js';
import { durableCounter, RateLimitCounter } from './rate-limit-object.js';
import { openD1 } from './store/d1.js';

export { RateLimitCounter };

export interface WorkerEnv {
  DB: D1Database;
  RATE_LIMITER?: DurableObjectNamespace<RateLimitCounter>;
  PAR_ADMIN_TOKEN?: string;
  PAR_CORS_ORIGINS?: string;
  PAR_RATE_LIMIT?: string;
}

const env = (c: { env: unknown }) => c.env as WorkerEnv;
// Without the binding (a deployment that dropped it) the limit still holds, per isolate.
const isolateCounter = memoryCounter();

export default createApp({
  driver: (c) => openD1(env(c).DB),
  adminToken: (c) => env(c).PAR_ADMIN_TOKEN,
  corsOrigins: (c) => (env(c).PAR_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
  rateLimit: (c) => Number(env(c).PAR_RATE_LIMIT ?? 600),
  rateCounter: (c) => { const ns = env(c).RATE_LIMITER; return ns ? durableCounter(ns) : isolateCounter; },
  // Unexpected errors, with the request id a problem document names (the platform logs every request itself).
  log: (line, level) => { if (level === 'error') console.error(JSON.stringify(line)); },
});
