// npm run openapi: writes the contract the app serves to openapi/openapi.json (committed; a test
// fails when it drifts from the code).
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../http/openapi.js';

const file = new URL('../../openapi/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
