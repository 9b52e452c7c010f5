// One router factory for every resource: validation failures become problem+json.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { ApiProblem, zodToErrors } from './problem.js';

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const target = (result as { target?: string }).target;
      const errors = zodToErrors(result.error.issues);
      if (target === 'json') {
        throw new ApiProblem('validation-failed', `The request body does not match the schema: ${errors.length} problem(s), first: ${errors[0]?.pointer} ${errors[0]?.message}`, errors);
      }
      throw new ApiProblem('invalid-request', `Invalid ${target ?? 'request'} parameter(s): ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
    },
  });
}
