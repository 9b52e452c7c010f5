// The self-assessment screens of the workspace (issue 14): being built.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { WorkspaceOptions } from './forms.js';

export function selfAssessmentRoutes(_options: WorkspaceOptions) {
  return new Hono<AppEnv>();
}
