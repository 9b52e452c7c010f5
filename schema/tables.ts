// The storage schema: one SQLite dialect for better-sqlite3 and Cloudflare D1. Migrations in
// schema/migrations are generated from this file by drizzle-kit (npm run db:generate).
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Every version of a methodology ever loaded, verbatim, so a stored result can be recomputed. */
export const methodologies = sqliteTable('methodologies', {
  id: text('id').notNull(),
  version: integer('version').notNull(),
  unitType: text('unit_type').notNull(),
  mode: text('mode').notNull(),
  nameVi: text('name_vi'),
  nameEn: text('name_en'),
  document: text('document', { mode: 'json' }).notNull(),
  contentHash: text('content_hash').notNull(),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
}, (t) => [primaryKey({ columns: [t.id, t.version] })]);

export const regions = sqliteTable('regions', {
  code: text('code').primaryKey(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
});

export const units = sqliteTable('units', {
  code: text('code').primaryKey(),
  type: text('type').notNull(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  /** lower case, without diacritics (đ → d): what a name search compares */
  searchKey: text('search_key').notNull(),
  officialCode: text('official_code'),
  region: text('region').references(() => regions.code),
  validFrom: text('valid_from'),
  validTo: text('valid_to'),
  ranked: integer('ranked', { mode: 'boolean' }).notNull().default(true),
  formerNames: text('former_names', { mode: 'json' }).$type<{ vi: string; en: string; validTo: string }[]>().notNull().default(sql`'[]'`),
}, (t) => [index('units_type').on(t.type)]);

export const unitLineage = sqliteTable('unit_lineage', {
  unit: text('unit').notNull().references(() => units.code),
  predecessor: text('predecessor').notNull().references(() => units.code),
  /** order of the predecessors as the source lists them (the namesake first) */
  position: integer('position').notNull().default(0),
  part: integer('part', { mode: 'boolean' }).notNull().default(false),
  weight: real('weight'),
  note: text('note'),
}, (t) => [primaryKey({ columns: [t.unit, t.predecessor] }), index('lineage_predecessor').on(t.predecessor)]);

export const cycles = sqliteTable('cycles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  year: integer('year').notNull(),
  unitType: text('unit_type').notNull(),
  methodologyId: text('methodology_id').notNull(),
  methodologyVersion: integer('methodology_version').notNull(),
  /** open → appraisal → review → published; published → correction → published (next revision) */
  status: text('status').notNull().default('open'),
  /** the latest published revision (0 before the first publication) */
  revision: integer('revision').notNull().default(0),
  /** bumped in the same transaction as every change of the cycle's scores: keys the results cache */
  dataVersion: integer('data_version').notNull().default(0),
  synthetic: integer('synthetic', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
}, (t) => [uniqueIndex('cycles_year_type').on(t.year, t.unitType)]);

export const scores = sqliteTable('scores', {
  cycleId: integer('cycle_id').notNull().references(() => cycles.id),
  unit: text('unit').notNull().references(() => units.code),
  indicator: text('indicator').notNull(),
  source: text('source').notNull(),
  /** the raw value as submitted: a number, or JSON for survey answers */
  value: text('value', { mode: 'json' }).$type<number | Record<string, number> | null>(),
  /** points after the leaf's scoring rule (points mode), for reading without the engine */
  points: real('points'),
  note: text('note'),
  evidence: text('evidence'),
  updatedAt: text('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
}, (t) => [primaryKey({ columns: [t.cycleId, t.unit, t.indicator, t.source] })]);

/** Computed results, cached per cycle; recomputable from scores + methodology. The key names the
 *  data versions it was computed from (this cycle's and the previous one's, for the change block). */
export const results = sqliteTable('results', {
  cycleId: integer('cycle_id').primaryKey().references(() => cycles.id),
  cacheKey: text('cache_key').notNull(),
  body: text('body').notNull(),
  computedAt: text('computed_at').notNull(),
});

/** Published revisions: frozen results and scores, their hash, the exact methodology version. */
export const revisions = sqliteTable('revisions', {
  cycleId: integer('cycle_id').notNull().references(() => cycles.id),
  revision: integer('revision').notNull(),
  methodologyId: text('methodology_id').notNull(),
  methodologyVersion: integer('methodology_version').notNull(),
  /** SHA-256 of the frozen report and scores (revision_parts) */
  contentHash: text('content_hash').notNull(),
  publishedAt: text('published_at').notNull(),
  publishedBy: text('published_by').notNull(),
  reason: text('reason'),
  /** the decision that publishes the revision (e.g. 268/QĐ-BNV, NFC) and its date (ISO); null for a revision published without one */
  decisionNumber: text('decision_number'),
  decisionDate: text('decision_date'),
}, (t) => [primaryKey({ columns: [t.cycleId, t.revision] })]);

/** The frozen report and scores of a revision, cut into pieces: D1 caps a row at 2 MB. */
export const revisionParts = sqliteTable('revision_parts', {
  cycleId: integer('cycle_id').notNull(),
  revision: integer('revision').notNull(),
  part: text('part').notNull(), // 'report' or 'scores'
  seq: integer('seq').notNull(),
  body: text('body').notNull(),
}, (t) => [primaryKey({ columns: [t.cycleId, t.revision, t.part, t.seq] })]);

/** Written to only by a guard statement that fails a whole transaction or D1 batch when the
 *  cycle is no longer in the state the request read: D1 has no interactive transactions. */
export const writeGuards = sqliteTable('write_guards', {
  ok: integer('ok').notNull(),
});

/** API keys: only a hash of the secret is stored; the key is shown once, at creation. */
export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  role: text('role').notNull(),
  unit: text('unit').references(() => units.code),
  label: text('label'),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  revokedAt: text('revoked_at'),
});

/** Every accepted write, recorded in the same transaction (or D1 batch) as the change. */
export const audit = sqliteTable('audit', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  requestId: text('request_id').notNull(),
  actorKey: text('actor_key').notNull(),
  actorRole: text('actor_role').notNull(),
  action: text('action').notNull(),
  cycleId: integer('cycle_id'),
  unit: text('unit'),
  indicator: text('indicator'),
  source: text('source'),
  before: text('before'),
  after: text('after'),
  reason: text('reason'),
  /** a score upload's changes to one unit's scores (JSON tuples, see src/store/audit.ts): one row
   *  per unit and request, not per score, so that auditing an upload costs little beside it */
  changes: text('changes'),
  // One index only: every index costs each audited score write (the audit is written with every upload).
}, (t) => [index('audit_cycle_unit').on(t.cycleId, t.unit)]);
