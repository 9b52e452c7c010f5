// Methodologies are stored verbatim and versioned; compiled copies are kept in memory by hash.
import { and, desc, eq } from 'drizzle-orm';
import { methodologies } from '../../schema/tables.js';
import { compileMethodology, type CompiledMethodology } from '../engine/index.js';
import { canonicalJson, sha256Hex } from './crypto.js';
import type { Driver } from './driver.js';

export type MethodologyRow = typeof methodologies.$inferSelect;

/**
 * The largest methodology document the store takes, in bytes of its JSON: a document is stored
 * verbatim in one row, and D1 refuses a row (or string) over 2,000,000 bytes. The route's body
 * limit: a body is never smaller than the document stored from it (whitespace and escapes only
 * shrink), and 1.5 MiB leaves room for the row's other columns. The official methodologies weigh
 * 5–60 KB; the node budget's 2,000 nodes fit at ~780 bytes each.
 */
export const METHODOLOGY_DOCUMENT_LIMIT = 1.5 * 1024 * 1024;

const compiledByHash = new Map<string, CompiledMethodology>();

export async function listMethodologies(d: Driver): Promise<MethodologyRow[]> {
  return d.db.select().from(methodologies).orderBy(methodologies.id, desc(methodologies.version));
}

/** The given version, or the latest. */
export async function getMethodology(d: Driver, id: string, version?: number): Promise<MethodologyRow | undefined> {
  const rows = await d.db.select().from(methodologies)
    .where(version === undefined ? eq(methodologies.id, id) : and(eq(methodologies.id, id), eq(methodologies.version, version)))
    .orderBy(desc(methodologies.version)).limit(1);
  return rows[0];
}

/** A stored version, compiled; its document is read and parsed only when no compiled copy is in memory. */
export async function compiledMethodology(d: Driver, id: string, version: number): Promise<CompiledMethodology | undefined> {
  const [ref] = await d.db.select({ contentHash: methodologies.contentHash }).from(methodologies)
    .where(and(eq(methodologies.id, id), eq(methodologies.version, version)));
  if (!ref) return undefined;
  const compiled = compiledByHash.get(ref.contentHash);
  if (compiled) return compiled;
  const row = await getMethodology(d, id, version);
  return row && compiledOf(row);
}

export function compiledOf(row: MethodologyRow): CompiledMethodology {
  let compiled = compiledByHash.get(row.contentHash);
  if (!compiled) compiledByHash.set(row.contentHash, (compiled = compileMethodology(row.document)));
  return compiled;
}

/**
 * SHA-256 (hex) of the document's canonical JSON (RFC 8785: keys sorted at every depth, no
 * whitespace): the same document with its keys in another order is the same content, and anyone
 * can check the hash of a served document by canonicalising it.
 */
export function contentHash(document: unknown): Promise<string> {
  return sha256Hex(canonicalJson(document));
}

/**
 * Whether a stored version holds this document. Compares canonical forms, not hashes: a database
 * seeded before hashes were canonical keeps the old form (JSON.stringify in key order) in its rows.
 */
export function sameContent(row: MethodologyRow, document: unknown): boolean {
  return canonicalJson(row.document) === canonicalJson(document);
}

/** Not async on purpose: a drizzle query is thenable, and returning it from an async function would run it. */
export function methodologyInsert(d: Driver, document: unknown, compiled: CompiledMethodology, hash: string) {
  const m = compiled.methodology;
  return d.db.insert(methodologies).values({
    id: m.id, version: m.version, unitType: m.unitType, mode: m.mode,
    nameVi: m.name?.vi ?? null, nameEn: m.name?.en ?? null, document, contentHash: hash,
  });
}

/** What every answer built on a methodology version says of it: how many numbers are provisional, display rounding. */
export async function methodologyRef(d: Driver, id: string, version: number): Promise<{ id: string; version: number; provisionalNodes: number; rounding: number }> {
  const compiled = await compiledMethodology(d, id, version);
  return { id, version, provisionalNodes: compiled ? provisionalNodes(compiled) : 0, rounding: compiled?.methodology.rounding ?? 2 };
}

export function provisionalNodes(compiled: CompiledMethodology): number {
  return compiled.nodes.filter((n) => n.provenance?.status === 'provisional').length;
}
