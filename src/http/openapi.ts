// The OpenAPI document, generated from the routes' zod schemas; the app serves the same at /openapi.json.
import { createApp, DOCUMENT } from './app.js';
import { withExamples } from './examples.js';

export function openApiDocument() {
  const app = createApp({ driver: () => { throw new Error('no database needed to describe the API'); } });
  return withExamples(app.getOpenAPI31Document(DOCUMENT));
}
