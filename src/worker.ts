// Worker entry: the same app over Cloudflare D1 (binding DB).
import { createApp } from './http/app.js';
import { openD1 } from './store/d1.js';

export interface WorkerEnv { DB: D1Database; PAR_ADMIN_TOKEN?: string; PAR_CORS_ORIGINS?: string; PAR_RATE_LIMIT?: string }

const env = (c: { env: unknown }) => c.env as WorkerEnv;

export default createApp({
  driver: (c) => openD1(env(c).DB),
  adminToken: (c) => env(c).PAR_ADMIN_TOKEN,
  corsOrigins: (c) => (env(c).PAR_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
  rateLimit: (c) => Number(env(c).PAR_RATE_LIMIT ?? 600),
});
