// API keys, the one path for the API (/v1/api-keys) and the workspace's keys screen: who may issue
// and revoke keys (admins), what a key names (a unit key its existing unit; other roles none).
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createKey, revokeKey, type KeyRow } from '../store/keys.js';
import { getUnit } from '../store/units.js';
import { requireRole } from './auth.js';
import { writeContext, type AppEnv } from './env.js';
import { ApiProblem } from './problem.js';
import { nfcText, ROLES } from './schemas.js';

export const Role = z.enum(ROLES).openapi('Role');
export const KeyIn = z.object({
  role: Role,
  unit: z.string().min(1).max(40).optional().describe('required for role unit: the province or ministry the key acts for'),
  label: nfcText(200).optional().describe('what the key is for, one line: NFC, no control or bidirectional-control character'),
}).strict().openapi('ApiKeyIn');
export type KeyInput = z.infer<typeof KeyIn>;

/** A key as it is shown: never its secret's hash. */
export const presentKey = ({ secretHash: _, ...k }: KeyRow) => ({ ...k, role: k.role as z.infer<typeof Role> });

/** Issues a key (admin): the key itself (`par_<id>_<secret>`) is in the answer this once. */
export async function issueKey(c: Context<AppEnv>, body: KeyInput) {
  requireRole(c, 'admin');
  if ((body.role === 'unit') !== (body.unit !== undefined)) {
    throw new ApiProblem('validation-failed', 'A unit key names its unit; other roles do not.', [{ pointer: '/unit', field: 'unit', message: body.role === 'unit' ? 'required for role unit' : 'only for role unit' }]);
  }
  if (body.unit && !(await getUnit(c.get('driver'), body.unit))) {
    throw new ApiProblem('validation-failed', `No unit ${body.unit}.`, [{ pointer: '/unit', field: 'unit', message: 'unknown unit' }]);
  }
  const { key, row } = await createKey(c.get('driver'), writeContext(c), body.role, body.unit ?? null, body.label ?? null);
  return { ...presentKey(row), key };
}

/** Revokes a key (admin); revoking a revoked key changes nothing. 404 for no such key. */
export async function withdrawKey(c: Context<AppEnv>, id: string) {
  requireRole(c, 'admin');
  const row = await revokeKey(c.get('driver'), writeContext(c), id);
  if (!row) throw new ApiProblem('not-found', `No key ${id}.`);
  return presentKey(row);
}
