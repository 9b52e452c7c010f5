// Worker entry: the same app over Cloudflare D1 (binding DB).
import { createApp } from './http/app.js';
import { openD1 } from './store/d1.js';

export interface WorkerEnv { DB: D1Database }

export default createApp({ driver: (c) => openD1((c.env as unknown as WorkerEnv).DB) });
