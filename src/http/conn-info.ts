// The connection as each runtime tells it: the client address (Cloudflare's header on Workers, the
// socket on Node), and on Node whether a request body was left unread when the answer went out.
import type { Context, MiddlewareHandler } from 'hono';

/** What @hono/node-server passes as the env of a request (none of it exists on Workers). */
interface NodeBindings {
  incoming?: {
    readableEnded: boolean;
    socket?: { remoteAddress?: string; end(): unknown; destroy(): unknown; destroySoon?: () => void; once(event: 'close', listener: () => void): unknown };
    removeAllListeners(event: 'data'): unknown;
    on(event: 'data', listener: () => void): unknown;
    once(event: 'end' | 'close', listener: () => void): unknown;
    off(event: 'end' | 'close', listener: () => void): unknown;
    resume(): unknown;
  };
  outgoing?: { setHeader(name: string, value: string): unknown; headersSent: boolean };
}

const node = (c: Context) => (c.env ?? undefined) as NodeBindings | undefined;

/**
 * The client address. On Node only the socket counts (a client could send cf-connecting-ip itself);
 * on Workers Cloudflare sets cf-connecting-ip and overwrites any the client sent. Through
 * `app.request()` (tests) there is no socket, so the header is read as on Workers: tests give each
 * simulated client its own address with it.
 */
export function getConnInfo(c: Context): string {
  const incoming = node(c)?.incoming;
  if (incoming) return incoming.socket?.remoteAddress ?? 'unknown';
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}

/**
 * The key the rate limit counts an address under: IPv4 as is (an IPv4-mapped IPv6 address as its
 * IPv4), IPv6 as its /64, the block one subscriber usually holds: rotating addresses inside it buys
 * no fresh budget.
 */
export function addressKey(address: string): string {
  const bare = address.trim().replace(/%.*$/, '').slice(0, 64);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return mapped[1];
  if (!bare.includes(':') || !/^[0-9a-f:.]+$/i.test(bare)) return bare;
  const [head, tail] = bare.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/** Whether the request announces a body (a length above zero, or chunks). */
export function announcesBody(headers: { get(name: string): string | null; has(name: string): boolean }): boolean {
  const length = headers.get('content-length');
  return headers.has('transfer-encoding') || (length !== null && length.trim() !== '0');
}

/** How long a closing connection keeps reading what the client still sends after the answer: in all, and without a byte. */
export const LINGER_MS = 30_000;
export const LINGER_IDLE_MS = 5_000;
/** A body announcing at most this much is read to its end before the answer goes: the connection stays usable. */
export const DRAIN_LIMIT = 64 * 1024;
const DRAIN_MS = 1_000;

/**
 * Node: an answer given before the request body was read (401, 403, 409, 413, 415 on an upload)
 * must leave the client's connection usable. @hono/node-server would keep it alive, drain the rest
 * for half a second and then destroy the socket, so a client's next request on that pooled
 * connection failed ("other side closed"). Here a small body (DRAIN_LIMIT) is read to its end
 * first, and the connection is kept; a larger one, or one in chunks, is answered with
 * `Connection: close` (reading a body of any length would cost the server the client's whole
 * upload). Installed first, so that it sees the final answer (errors included). Workers: nothing to do.
 */
export const closeIfBodyUnread: MiddlewareHandler = async (c, next) => {
  await next();
  const { incoming, outgoing } = node(c) ?? {};
  if (!incoming || !outgoing || outgoing.headersSent || incoming.readableEnded || !announcesBody(c.req.raw.headers)) return;
  const length = Number(c.req.header('content-length') ?? Number.NaN);
  if (length <= DRAIN_LIMIT && await drained(incoming)) return;
  closeInStages(incoming, outgoing);
};

/** Reads the rest of the body into nothing. A body reader that stopped (a limit, an early answer) would pause the socket again: it is detached. */
function dropBody(incoming: NonNullable<NodeBindings['incoming']>): void {
  incoming.removeAllListeners('data');
  incoming.on('data', () => {});
  incoming.resume();
}

/** Whether the rest of the body arrived (and was dropped) within DRAIN_MS. */
function drained(incoming: NonNullable<NodeBindings['incoming']>): Promise<boolean> {
  dropBody(incoming);
  return new Promise((resolve) => {
    const done = (ended: boolean) => () => {
      clearTimeout(timer);
      incoming.off('end', onEnd);
      incoming.off('close', onClose);
      resolve(ended);
    };
    const onEnd = done(true);
    const onClose = done(false);
    const timer = setTimeout(onClose, DRAIN_MS);
    incoming.once('end', onEnd);
    incoming.once('close', onClose);
  });
}

/**
 * Node closes a `Connection: close` socket as soon as the answer is written: what the client is
 * still sending then meets a reset, and a client that reads the answer only once it has sent its
 * body (undici's fetch) gets an EPIPE instead of the 413. RFC 9112 section 9.6 closes in stages:
 * our side first once the answer is out, reading and dropping what the client still sends, and the
 * socket when the client has closed its side too, after LINGER_IDLE_MS without a byte, or after
 * LINGER_MS in all (nginx's lingering_timeout and lingering_time).
 */
function closeInStages(incoming: NonNullable<NodeBindings['incoming']>, outgoing: NonNullable<NodeBindings['outgoing']>): void {
  outgoing.setHeader('connection', 'close');
  dropBody(incoming);
  const socket = incoming.socket;
  if (!socket) return;
  socket.destroySoon = () => {
    socket.end();
    const unref = (t: unknown) => (t as { unref?: () => void }).unref?.();
    let idle: ReturnType<typeof setTimeout> | undefined;
    const destroy = () => { clearTimeout(total); clearTimeout(idle); socket.destroy(); };
    const waitForBytes = () => { clearTimeout(idle); idle = setTimeout(destroy, LINGER_IDLE_MS); unref(idle); };
    const total = setTimeout(destroy, LINGER_MS);
    unref(total);
    waitForBytes();
    incoming.on('data', waitForBytes);
    socket.once('close', () => { clearTimeout(total); clearTimeout(idle); });
  };
}
