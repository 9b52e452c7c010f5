// The client address, as each runtime tells it: Cloudflare's header on Workers, the socket on Node.
import type { Context } from 'hono';

export function getConnInfo(c: Context): string {
  const cf = c.req.header('cf-connecting-ip');
  if (cf) return cf;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
