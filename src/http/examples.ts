// The contract's examples: real answers of the app over the demo data (openapi/examples.json,
// written by src/tools/capture-examples.ts), and one problem document per problem type.
import captured from '../../openapi/examples.json';
import { PROBLEM_TYPES, problemUri, type ProblemType } from './problem.js';

interface Captured { request?: unknown; status: number; mediaType: string; response: unknown }
type Content = Record<string, { example?: unknown; examples?: Record<string, { summary?: string; value: unknown }> }>;
interface Operation { operationId?: string; requestBody?: { content?: Content }; responses?: Record<string, { content?: Content }> }

const PROBLEM_DETAILS: Record<ProblemType, string> = {
  'not-found': 'The 2026 province cycle is not published yet.',
  'invalid-request': 'Invalid query parameter(s): region unknown region',
  'malformed-body': 'The body could not be parsed: Unexpected end of JSON input.',
  'validation-failed': 'The request body does not match the schema: 1 problem(s), first: /scores/0/value value must be a finite number',
  'invalid-scores': '1 problem(s); nothing was written. First: unit 01, node 1.1.1: value 1 is outside [0, 0.5]',
  'invalid-methodology': '1 problem(s); nothing was written. First: node 1: children\'s max sum to 9.5, not 10',
  'computation-failed': '1 problem(s); nothing was written. First: no unit has data for node 1',
  'too-many-units': '10001 units: at most 10,000 per computation.',
  'budget-exceeded': 'This request asks more than one request may: 60,000 units × nodes, at most 50,000. Nothing was computed or written.',
  unauthorized: 'This needs an API key: Authorization: Bearer <key>.',
  forbidden: 'This needs the role admin; your key has the role unit.',
  'rate-limited': 'More than 600 requests in a minute; retry after the time in Retry-After.',
  'unsupported-media-type': 'Content-Type text/plain is not accepted here; send application/json.',
  'payload-too-large': 'The request body exceeds the limit of 5 MiB.',
  conflict: 'The 2024 province cycle is published (revision 1): its numbers are frozen.',
  'not-acceptable': 'This route answers application/json; the Accept header (text/csv) admits none of them.',
  'method-not-allowed': '/v1/units answers GET, HEAD, not DELETE.',
  internal: 'An unexpected error occurred; it has been logged with this request id.',
  busy: 'Every analysis thread is busy and 8 analyses are waiting; nothing was computed. Retry after the time in Retry-After.',
};

function problemExamples(status: string): Record<string, { summary: string; value: unknown }> {
  // Busy (503) is declared by the operations that may answer it; any may answer 500.
  const types = (Object.keys(PROBLEM_TYPES) as ProblemType[]).filter((t) => String(PROBLEM_TYPES[t].status) === (status === 'default' ? '500' : status));
  return Object.fromEntries(types.map((t) => [t, {
    summary: PROBLEM_TYPES[t].title,
    value: { type: problemUri(t), title: PROBLEM_TYPES[t].title, status: PROBLEM_TYPES[t].status, detail: PROBLEM_DETAILS[t], instance: '/v1/…', requestId: '3f2b8c1e-6a0d-4c55-9a51-0d3c6f1b7e42' },
  }]));
}

/** The document with every operation's examples: its request and success from the demo data, its problems. */
export function withExamples<T extends object>(doc: T): T {
  const examples = captured as Record<string, Captured>;
  for (const item of Object.values((doc as { paths?: Record<string, object> }).paths ?? {})) {
    for (const operation of Object.values(item) as Operation[]) {
      const example = operation.operationId ? examples[operation.operationId] : undefined;
      const requestMedia = operation.requestBody?.content?.['application/json'];
      if (example?.request !== undefined && requestMedia) requestMedia.example = example.request;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const success = example && String(example.status) === status ? response.content?.[example.mediaType] : undefined;
        if (success) success.example = example!.response;
        const problem = response.content?.['application/problem+json'];
        if (problem) problem.examples = problemExamples(status);
      }
    }
  }
  return doc;
}
