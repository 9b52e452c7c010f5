// npm run openapi: writes the contract the app serves to openapi/openapi.json and the client
// types generated from it to test/contract/client/schema.d.ts (both committed; tests fail when
// either drifts from the code).
import { writeFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE, clientTypes } from '../../test/contract/generate.js';
import { openApiDocument } from '../http/openapi.js';

const document = openApiDocument();
const file = new URL('../../openapi/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
writeFileSync(CLIENT_TYPES_FILE, await clientTypes(document));
console.log(`wrote ${CLIENT_TYPES_FILE.pathname}`);
