// The reference data shipped in data/: methodologies, units with lineage, the demo set.
// Validated when loaded: a bad file stops the service at start rather than serving wrong numbers.
import unitsJson from '../../data/units.json';
import demoJson from '../../data/demo/demo.json';
import province2017 from '../../data/methodologies/par-province-2017.json';
import province2022 from '../../data/methodologies/par-province-2022.json';
import ministry2022 from '../../data/methodologies/par-ministry-2022.json';
import { checkUnits, compileMethodology, UnitsDocument, type CompiledMethodology } from '../engine/index.js';
import type { DemoCycle } from '../demo/generate.js';

export const methodologyDocuments: unknown[] = [province2017, province2022, ministry2022];

export interface Catalog {
  /** the methodology files as written, and compiled (same order) */
  documents: unknown[];
  methodologies: CompiledMethodology[];
  units: UnitsDocument;
  demo: { label: string; seed: number; cycles: DemoCycle[] };
}

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (cached) return cached;
  const units = UnitsDocument.parse(unitsJson);
  const problems = checkUnits(units);
  if (problems.length) throw new Error(`data/units.json: ${problems.join('; ')}`);
  cached = { documents: methodologyDocuments, methodologies: methodologyDocuments.map((m) => compileMethodology(m)), units, demo: demoJson };
  return cached;
}
