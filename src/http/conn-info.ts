// The client address, as each runtime tells it: Cloudflare's header on Workers, the socket on Node.
import type { Context } from 'hono';

export function getConnInfo(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  // On Node a client could send cf-connecting-ip itself: only the socket counts there.
  if (incoming) return incoming.socket?.remoteAddress ?? 'unknown';
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}
