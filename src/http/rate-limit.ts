// The rate limit: requests per minute per API key, and per client address for the public and for
// failed authentications. Counted in fixed one-minute windows by a RateCounter: in memory on Node
// (one process: exact), in a Durable Object per key on Workers (one count across isolates and
// locations; src/rate-limit-object.ts).
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';

export const WINDOW_MS = 60_000;

/** The count of one key in its current window. */
export interface Window { count: number; resetAt: number }

export interface RateCounter {
  /** Adds `cost` requests (0: only reads) to the key's current window, opened now if none is. */
  take(key: string, cost: number, windowMs: number): Promise<Window>;
  /** Gives one request back (a revalidation answered 304). */
  giveBack(key: string): Promise<void>;
}

/** Windows in a Map; those that ended are swept at most once a window (no timer: Workers refuse them at start-up). */
export function memoryCounter(): RateCounter {
  const windows = new Map<string, Window>();
  let sweepAt = 0;
  return {
    async take(key, cost, windowMs) {
      const now = Date.now();
      if (now >= sweepAt) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
        sweepAt = now + windowMs;
      }
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs };
        if (cost === 0) return w;
        windows.set(key, w);
      }
      w.count += cost;
      return { ...w };
    },
    async giveBack(key) {
      const w = windows.get(key);
      if (w && w.count > 0) w.count--;
    },
  };
}

export interface RateLimitOptions {
  /** requests per minute per key and per client address */
  limit: (c: Context<AppEnv>) => number;
  counter: (c: Context<AppEnv>) => RateCounter;
}

const seconds = (w: Window) => Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000));
const addressKey = (c: Context<AppEnv>) => `ip:${c.get('clientAddress')}`;

/** draft-7 RateLimit headers (IETF draft-ietf-httpapi-ratelimit-headers). */
function announce(c: Context<AppEnv>, limit: number, w: Window): void {
  c.header('RateLimit-Policy', `${limit};w=${WINDOW_MS / 1000}`);
  c.header('RateLimit', `limit=${limit}, remaining=${Math.max(0, limit - w.count)}, reset=${seconds(w)}`);
}

function tooMany(detail: string, w: Window): ApiProblem {
  return new ApiProblem('rate-limited', `${detail} Retry after the time in Retry-After.`, undefined, { 'retry-after': String(seconds(w)) });
}

/** 429 with Retry-After past the limit: per key for a key, per client address for the public. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limit = options.limit(c);
    const counter = options.counter(c);
    const actor = c.get('actor');
    const key = actor.role === 'public' ? addressKey(c) : `key:${actor.keyId}`;
    const w = await counter.take(key, 1, WINDOW_MS);
    announce(c, limit, w);
    if (w.count > limit) throw tooMany(`More than ${limit} requests in a minute.`, w);
    await next();
    // A revalidation answered 304 is given back: polling cheaply with an ETag costs nothing.
    if (c.res.status === 304) await counter.giveBack(key);
  };
}

/** What authentication asks the rate limit: may this address try a key, and count a wrong one. */
export interface AuthGuard {
  /** 429 when the address has spent its budget: checked before the key, so the answer reveals nothing about it */
  beforeKey(c: Context<AppEnv>): Promise<void>;
  /** counts a failed authentication against the address; 429 once past the limit */
  failed(c: Context<AppEnv>): Promise<void>;
}

/**
 * Failed authentications count against the client address's budget, the one its anonymous
 * requests use. Once it is spent, any request from that address presenting a key is refused 429
 * before the key is checked: otherwise a right guess would still answer 200 past the limit, and
 * guessing would go on unlimited with 429 meaning "wrong".
 */
export function authGuard(options: RateLimitOptions): AuthGuard {
  const detail = (limit: number) => `More than ${limit} requests in a minute from this address without a valid key.`;
  return {
    async beforeKey(c) {
      const limit = options.limit(c);
      const w = await options.counter(c).take(addressKey(c), 0, WINDOW_MS);
      if (w.count >= limit) throw tooMany(detail(limit), w);
    },
    async failed(c) {
      const limit = options.limit(c);
      const w = await options.counter(c).take(addressKey(c), 1, WINDOW_MS);
      if (w.count > limit) throw tooMany(detail(limit), w);
    },
  };
}
