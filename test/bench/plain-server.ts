// The floors of serving, in a process of their own as the service runs in its own: plain
// node:http (`node`), or a bare Hono app over @hono/node-server (`hono`), answering every request
// with the same bytes (one file, one content type). Prints its port.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const [file, type, kind = 'node'] = process.argv.slice(2);
const body = readFileSync(file);
if (kind === 'hono') {
  const bytes = new Uint8Array(body);
  const app = new Hono();
  app.get('*', (c) => c.body(bytes, 200, { 'content-type': type }));
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`bare Hono on http://localhost:${info.port}`));
} else {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => console.log(`plain node:http on http://localhost:${(server.address() as AddressInfo).port}`));
}
