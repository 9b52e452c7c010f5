// One router factory for every resource: validation failures become problem+json.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { ApiProblem, zodToErrors } from './problem.js';

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error.issues, (result as { target?: string }).target);
    },
  });
}

/** A failed zod validation as a problem: 422 for a body, 400 for path, query or headers. */
export function validationProblem(issues: Parameters<typeof zodToErrors>[0], target: string | undefined): ApiProblem {
  const errors = zodToErrors(issues);
  if (target === 'json') {
    return new ApiProblem('validation-failed', `The request body does not match the schema: ${errors.length} problem(s), first: ${errors[0]?.pointer} ${errors[0]?.message}`, errors);
  }
  return new ApiProblem('invalid-request', `Invalid ${target ?? 'request'} parameter(s): ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
}
