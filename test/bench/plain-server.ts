// The floor of serving: plain node:http answering every request with the same bytes (one file,
// one content type), in a process of its own as the service runs in its own. Prints its port.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const [file, type] = process.argv.slice(2);
const body = readFileSync(file);
const server = createServer((_, res) => {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`plain node:http on http://localhost:${(server.address() as AddressInfo).port}`));
