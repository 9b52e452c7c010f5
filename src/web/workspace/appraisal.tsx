// The appraisal screens of the workspace (issue 14): being built.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.js';
import type { WorkspaceOptions } from './forms.js';

export function appraisalRoutes(_options: WorkspaceOptions) {
  return new Hono<AppEnv>();
}
