// API keys: `par_<id>_<secret>`; only SHA-256 of the secret is stored, compared in constant time.
import { eq } from 'drizzle-orm';
import { apiKeys } from '../../schema/tables.js';
import { auditStep, type WriteContext } from './audit.js';
import { constantTimeEqual, randomToken, sha256Hex } from './crypto.js';
import type { Driver } from './driver.js';

export type Role = 'admin' | 'appraiser' | 'unit';
export type KeyRow = typeof apiKeys.$inferSelect;

const KEY_PATTERN = /^par_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export function isKeyShaped(token: string): boolean {
  return KEY_PATTERN.test(token);
}

export async function createKey(d: Driver, ctx: WriteContext, role: Role, unit: string | null, label: string | null) {
  const id = randomToken(8).toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(10, '0').slice(0, 10);
  const secret = randomToken(32);
  const row = { id, secretHash: await sha256Hex(secret), role, unit, label, createdAt: new Date().toISOString(), createdBy: ctx.actorKey, revokedAt: null };
  await d.atomic([
    d.db.insert(apiKeys).values(row),
    auditStep(ctx, [{ action: 'api-key.create', unit, after: { id, role, unit, label } }]),
  ]);
  return { key: `par_${id}_${secret}`, row };
}

export async function listKeys(d: Driver): Promise<KeyRow[]> {
  return d.db.select().from(apiKeys).orderBy(apiKeys.createdAt);
}

export async function revokeKey(d: Driver, ctx: WriteContext, id: string): Promise<KeyRow | undefined> {
  const row = (await d.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
  if (!row || row.revokedAt) return row;
  const revokedAt = new Date().toISOString();
  await d.atomic([
    d.db.update(apiKeys).set({ revokedAt }).where(eq(apiKeys.id, id)),
    auditStep(ctx, [{ action: 'api-key.revoke', unit: row.unit, before: { id, revokedAt: null }, after: { id, revokedAt } }]),
  ]);
  return { ...row, revokedAt };
}

/** What a public answer says of a writer: its role, never its key id. */
export type WriterRole = Role | 'system' | 'unknown';
const WRITER_ROLES = new Set<string>(['admin', 'appraiser', 'unit', 'system', 'unknown']);
/**
 * Writers that are not rows of api_keys: the bootstrap admin (its id is ENV_ADMIN_KEY in
 * http/auth.ts) and the seeding of the demo data (seed.ts).
 */
const BUILT_IN_WRITERS = new Map<string, WriterRole>([['env-admin', 'admin'], ['seed', 'system']]);

/**
 * Maps the key ids of writers (scores.updated_by, revisions.published_by) to their roles. Reads
 * api_keys (a short table) only when some id is not already a role, as in frozen revisions.
 */
export async function writerRoles(d: Driver, ids: Iterable<string>): Promise<(id: string) => WriterRole> {
  let pending = false;
  for (const id of ids) if (!WRITER_ROLES.has(id) && !BUILT_IN_WRITERS.has(id)) { pending = true; break; }
  // Stryker disable next-line ObjectLiteral: select() of every column gives the same id and role (the projection only narrows the read)
  const byId = new Map<string, string>(pending ? (await d.db.select({ id: apiKeys.id, role: apiKeys.role }).from(apiKeys)).map((k) => [k.id, k.role]) : []);
  return (id) => (WRITER_ROLES.has(id) ? id as WriterRole : BUILT_IN_WRITERS.get(id) ?? (byId.get(id) as WriterRole | undefined) ?? 'unknown');
}

export type KeyCheck = { ok: true; row: KeyRow } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' };

export async function checkKey(d: Driver, token: string): Promise<KeyCheck> {
  const m = KEY_PATTERN.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const row = (await d.db.select().from(apiKeys).where(eq(apiKeys.id, m[1])))[0];
  // Hash even for an unknown id, so that timing does not tell which ids exist.
  const hash = await sha256Hex(m[2]);
  if (!row || !constantTimeEqual(hash, row.secretHash)) return { ok: false, reason: 'unknown' };
  if (row.revokedAt) return { ok: false, reason: 'revoked' };
  return { ok: true, row };
}

/** A key's row by its id (revoked or not): what a workspace session is checked against. */
export async function keyById(d: Driver, id: string): Promise<KeyRow | undefined> {
  return (await d.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
}
