// Workers only: the rate limit's count as a Durable Object, one per counted key (an API key, a
// client address). A Durable Object is a single instance worldwide, so every isolate in every
// location counts into the same window. The Workers Rate Limiting binding counts per Cloudflare
// location, and each isolate's memory counts only what reaches it.
import { DurableObject } from 'cloudflare:workers';
import type { RateCounter, Window } from './http/rate-limit.js';

/**
 * One key's fixed window, in memory: calls to one object run one at a time, so counting needs no
 * lock. An object idle for long is evicted with its count, which by then belongs to a past window.
 */
export class RateLimitCounter extends DurableObject {
  private window: Window = { count: 0, resetAt: 0 };

  take(cost: number, windowMs: number): Window {
    const now = Date.now();
    if (this.window.resetAt <= now) this.window = { count: 0, resetAt: now + windowMs };
    this.window.count += cost;
    return { ...this.window };
  }

  giveBack(): void {
    if (this.window.count > 0 && this.window.resetAt > Date.now()) this.window.count--;
  }
}

/** The RateCounter of the app over the binding (wrangler.toml: RATE_LIMITER). */
export function durableCounter(namespace: DurableObjectNamespace<RateLimitCounter>): RateCounter {
  const counter = (key: string) => namespace.get(namespace.idFromName(key));
  return {
    take: async (key, cost, windowMs) => { const w = await counter(key).take(cost, windowMs); return { count: w.count, resetAt: w.resetAt }; },
    giveBack: async (key) => { await counter(key).giveBack(); },
  };
}
