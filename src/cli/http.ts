// The service's REST API over node:http(s): request bodies are written in chunks and responses
// read in chunks, so that uploads and downloads can report their progress.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CliError, EXIT, usageError } from './errors.js';
import type { LocalService } from './local.js';
import { formatBytes, type Progress } from './progress.js';

export interface Connection {
  url: string;
  key?: string;
  progress: Progress;
  timeoutMs: number;
  /** --db: the app in this process over a local database file, instead of the service at `url` */
  local?: () => Promise<LocalService>;
}

export interface Answer { status: number; headers: IncomingHttpHeaders; body: Buffer }

export interface Call {
  method?: 'GET' | 'POST' | 'PUT';
  body?: Buffer;
  contentType?: string;
  accept?: string;
  /** names the upload (its file) and the download in the progress output */
  upload?: string;
  download?: string;
}

const CHUNK = 64 * 1024;

/** The service's URL joined with an API path (a base with a path prefix keeps it). */
export function endpoint(base: string, path: string): URL {
  let url: URL;
  try { url = new URL(base); } catch { throw usageError(`--url ${base} is not a URL`, 'example: --url http://localhost:8787'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--url ${base} is not an http(s) URL`);
  return new URL(url.href.replace(/\/$/, '') + path);
}

export function send(conn: Connection, path: string, call: Call = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: call.accept ?? 'application/json, application/problem+json' };
  if (call.body) Object.assign(headers, { 'content-type': call.contentType ?? 'application/json', 'content-length': String(call.body.length) });
  if (conn.local) return sendLocal(conn, conn.local, path, call, headers);
  const url = endpoint(conn.url, path);
  if (conn.key) headers.authorization = `Bearer ${conn.key}`;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method: call.method ?? 'GET', headers }, (res) => {
      receive(conn, call, res).then((body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }), reject);
    });
    req.setTimeout(conn.timeoutMs, () => req.destroy(new Error(`no answer within ${conn.timeoutMs / 1000} s`)));
    req.on('error', (error) => reject(unreachable(conn.url, error)));
    if (!call.body) return void req.end();
    // The body is written once connected, so that an unreachable service is not reported as an upload.
    const go = () => { write(conn, call, req).catch((error) => req.destroy(error)); };
    req.once('socket', (socket) => (socket.connecting ? socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', go) : go()));
  });
}

/** The same request to the app in this process: whole bodies, progress reported at their ends. */
async function sendLocal(conn: Connection, local: () => Promise<LocalService>, path: string, call: Call, headers: Record<string, string>): Promise<Answer> {
  const service = await local();
  if (call.upload) conn.progress.finish(`reading ${call.upload} (${formatBytes(call.body!.length)}) into the local database`);
  const response = await service(new Request(`http://local${path}`, { method: call.method ?? 'GET', headers, body: call.body && new Uint8Array(call.body) }));
  const body = Buffer.from(await response.arrayBuffer());
  if (call.download && response.status < 300) conn.progress.finish(`read ${call.download} (${formatBytes(body.length)})`);
  const answered: Record<string, string> = {};
  response.headers.forEach((value, name) => { answered[name] = value; });
  return { status: response.status, headers: answered, body };
}

/** Writes the body chunk by chunk, waiting for the socket to drain, and reports what was written. */
async function write(conn: Connection, call: Call, req: import('node:http').ClientRequest): Promise<void> {
  const body = call.body!;
  const label = call.upload;
  if (label) conn.progress.start(`uploading ${label}`, body.length);
  for (let at = 0; at < body.length; at += CHUNK) {
    const more = req.write(body.subarray(at, at + CHUNK));
    if (!more) await new Promise((resolve) => req.once('drain', resolve));
    if (label) conn.progress.update(Math.min(body.length, at + CHUNK));
  }
  req.end();
  if (label) conn.progress.finish(`uploaded ${label} (${formatBytes(body.length)}); waiting for the service's answer`);
}

async function receive(conn: Connection, call: Call, res: import('node:http').IncomingMessage): Promise<Buffer> {
  const length = Number(res.headers['content-length']);
  const label = call.download && (res.statusCode ?? 0) < 300 ? call.download : undefined;
  if (label) conn.progress.start(`downloading ${label}`, Number.isFinite(length) ? length : undefined);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    received += (chunk as Buffer).length;
    if (label) conn.progress.update(received);
  }
  if (label) conn.progress.finish(`downloaded ${label} (${formatBytes(received)})`);
  return Buffer.concat(chunks);
}

function unreachable(base: string, error: Error & { code?: string }): CliError {
  const why = error.code ? `${error.code}: ${error.message}` : error.message;
  return new CliError(EXIT.network, [`error: cannot reach the service at ${base} (${why})`, 'Is it running? Set its address with --url or PAR_URL.']);
}
