// Which version of a cycle a reader gets. Every caller, keys included, reads the latest
// publication unless they ask otherwise: a key sent by habit never turns a dashboard's numbers
// into drafts. `?revision=N` pins a publication; `?revision=draft` reads the live draft, for
// admins and appraisers, and for a unit key its own unit's. A cycle never published is, to a
// reader who may not see its draft, simply not there yet (404).
import type { Context } from 'hono';
import type { CycleRow } from '../store/cycles.js';
import { getRevision, type FrozenRevision } from '../store/workflow.js';
import { requireKey, seesDraftsOf } from './auth.js';
import type { AppEnv } from './env.js';
import { ApiProblem } from './problem.js';
import { IMMUTABLE, PRIVATE, REVALIDATE } from './conditional.js';

/** `keyed`: asked with a key, so never stored by a shared cache (the answer is the public's all the same). */
export type View = { kind: 'live' } | { kind: 'revision'; frozen: FrozenRevision; keyed?: boolean };

/** `revision`: undefined (latest publication), 'draft', or a revision number as the query gave it. */
export async function viewFor(c: Context<AppEnv>, cycle: CycleRow, options: { revision?: string; unit?: string } = {}): Promise<View> {
  const { revision, unit } = options;
  if (revision === 'draft') {
    if (!seesDraftsOf(c.get('actor'), unit)) {
      requireKey(c); // the public is asked for a key (401); a key that may not read this draft is refused (403)
      throw new ApiProblem('forbidden', unit === undefined
        ? 'Drafts that compare units are for admins and appraisers; a unit key reads its own unit\'s draft (scorecard, scores).'
        : `Your key may read the draft of unit ${c.get('actor').unit} only.`);
    }
    return { kind: 'live' };
  }
  const keyed = c.get('actor').role !== 'public';
  if (revision !== undefined) return { kind: 'revision', frozen: await revisionOf(c, cycle, Number(revision)), keyed };
  if (cycle.revision > 0) return { kind: 'revision', frozen: await revisionOf(c, cycle, cycle.revision), keyed };
  const draft = seesDraftsOf(c.get('actor'), unit) ? ' Its draft is readable with ?revision=draft.' : '';
  throw new ApiProblem('not-found', `The ${cycle.year} ${cycle.unitType} cycle is not published yet.${draft}`);
}

/**
 * Cache-Control of an answer from a view: drafts never in a shared cache, a pinned publication
 * immutable, the latest publication revalidated (a correction publishes a new revision); an
 * answer to a keyed request private (RFC 9111 §3.5: `public` would let a shared cache keep it).
 */
export function cachePolicy(view: View, revision: string | undefined): string {
  if (view.kind === 'live') return PRIVATE;
  const policy = revision !== undefined ? IMMUTABLE : REVALIDATE;
  return view.keyed ? privately(policy) : policy;
}

/** A public policy made private, same lifetime: for an answer to a request that carried a key. */
export const privately = (policy: string) => policy.replace(/^public\b/, 'private');

/** The policy for this caller: as given for the public, private for a key. */
export function forCaller(c: Context<AppEnv>, policy: string): string {
  return c.get('actor').role === 'public' ? policy : privately(policy);
}

export async function revisionOf(c: Context<AppEnv>, cycle: CycleRow, revision: number): Promise<FrozenRevision> {
  const frozen = await getRevision(c.get('driver'), cycle.id, revision); // none for revision 0: nothing is published as 0
  if (!frozen) throw new ApiProblem('not-found', `The ${cycle.year} ${cycle.unitType} cycle has no published revision ${revision} (latest: ${cycle.revision || 'none'}).`);
  return frozen;
}
