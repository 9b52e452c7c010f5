// What every request carries: its id, and the database driver built for it by the entry point.
import type { AnalysisRunner } from './analyses.js';
import type { WriteContext } from '../store/audit.js';
import type { Driver } from '../store/driver.js';
import type { ApiProblem } from './problem.js';

export type Role = 'public' | 'admin' | 'appraiser' | 'unit';

/** Who is asking: the public (no key), or the holder of an API key with a role (and a unit). */
export interface Actor { keyId: string; role: Role; unit: string | null }

export interface AppEnv {
  Variables: {
    driver: Driver;
    /** where the heavy analyses run (compute, uncertainty, what-if): a thread pool on Node, inline on Workers */
    analyse: AnalysisRunner;
    /** the server's own id of this request: the one the log and the audit record */
    requestId: string;
    /** an x-request-id the client sent (well-formed), kept apart: echoed and logged, never audited */
    clientRequestId: string | undefined;
    /** the client address the rate limit counts (an IPv6 address as its /64) */
    clientAddress: string;
    actor: Actor;
    /** the body limit the route declared (limitBody); the default otherwise */
    bodyLimit: number | undefined;
    /** set when the body went past its limit while read: whatever the reader threw, the answer is this 413 */
    bodyOverflow: ApiProblem | undefined;
  };
}

export function writeContext(c: { get(key: 'actor'): Actor; get(key: 'requestId'): string }): WriteContext {
  const actor = c.get('actor');
  return { actorKey: actor.keyId, actorRole: actor.role, requestId: c.get('requestId') };
}
