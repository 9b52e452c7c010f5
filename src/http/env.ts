// What every request carries: its id, and the database driver built for it by the entry point.
import type { WriteContext } from '../store/audit.js';
import type { Driver } from '../store/driver.js';

export type Role = 'public' | 'admin' | 'appraiser' | 'unit';

/** Who is asking: the public (no key), or the holder of an API key with a role (and a unit). */
export interface Actor { keyId: string; role: Role; unit: string | null }

export interface AppEnv {
  Variables: { driver: Driver; requestId: string; actor: Actor };
}

export function writeContext(c: { get(key: 'actor'): Actor; get(key: 'requestId'): string }): WriteContext {
  const actor = c.get('actor');
  return { actorKey: actor.keyId, actorRole: actor.role, requestId: c.get('requestId') };
}
