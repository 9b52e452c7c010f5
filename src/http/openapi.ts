// The OpenAPI document, generated from the routes' zod schemas; the app serves the same at /openapi.json.
import { API_INFO, createApp } from './app.js';

export function openApiDocument() {
  const app = createApp({ driver: () => { throw new Error('no database needed to describe the API'); } });
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: API_INFO });
}
