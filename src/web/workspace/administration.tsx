// The secretariat's screens of the workspace (issue 14): score upload with a dry-run preview, methodologies (upload and download),
// access keys, and the audit log. Each goes through the API's own functions and checks.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import { auditRoutes } from './administration-audit.js';
import { keyRoutes } from './administration-keys.js';
import { methodologyRoutes } from './methodologies.js';
import { uploadRoutes } from './administration-upload.js';
import type { WorkspaceOptions } from './forms.js';

export function administrationRoutes(options: WorkspaceOptions) {
  const app = new Hono<AppEnv>();
  app.route('/', uploadRoutes(options));
  app.route('/', keyRoutes(options));
  app.route('/', auditRoutes(options));
  app.route('/', methodologyRoutes(options));
  return app;
}
