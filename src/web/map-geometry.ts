// The provinces' shapes for a cycle's set of units, projected once and kept: a unit that exists in
// the 63-province topology is drawn as it is; a unit formed on 2025-07-01 is the union of its
// predecessors' shapes (topojson-client's merge, grouped by the lineage in data/units.json).
// Hoàng Sa is part of Đà Nẵng's geometry and Trường Sa part of Khánh Hòa's, as in the source.
import { geoMercator, geoPath, type GeoPath, type GeoProjection } from 'd3-geo';
import { feature, merge } from 'topojson-client';
import type { GeometryCollection, Polygon, MultiPolygon, Topology } from 'topojson-specification';
import topologyJson from '../../data/maps/vn-provinces-63.topo.json';

type Props = { code: string; name: string };
const topology = topologyJson as unknown as Topology<{ provinces: GeometryCollection<Props> }>;
const shapes = topology.objects.provinces.geometries as (Polygon<Props> | MultiPolygon<Props>)[];
const byCode = new Map(shapes.map((g) => [g.properties!.code, g]));

export const MAP_WIDTH = 560;
export const MAP_HEIGHT = 640;
/** Room kept at the bottom for the attribution line. */
const MARGIN = { top: 8, right: 8, bottom: 28, left: 8 };

/**
 * The 63 shapes fitted into the frame: one projection for every year, so maps of two years align.
 * Made on first use, not at start: a Worker's cold start should not pay for a page it may not serve.
 */
let fitted: { projection: GeoProjection; path: GeoPath } | undefined;
function geo() {
  if (!fitted) {
    const projection = geoMercator().fitExtent(
      [[MARGIN.left, MARGIN.top], [MAP_WIDTH - MARGIN.right, MAP_HEIGHT - MARGIN.bottom]],
      feature(topology, topology.objects.provinces),
    );
    fitted = { projection, path: geoPath(projection).digits(1) };
  }
  return fitted;
}

export interface UnitShape { code: string; d: string }
export interface Lineage { code: string; predecessors: { code: string }[] }

/** The archipelagos: where a label goes (their true centres) and the box drawn around them. */
export const ARCHIPELAGOS = [
  { id: 'hoang-sa', province: '48', centre: [111.9, 16.5], box: [[111.1, 15.6], [112.9, 17.35]] },
  { id: 'truong-sa', province: '56', centre: [114.3, 9.9], box: [[111.2, 7.3], [117.2, 11.95]] },
] as const;

export const project = (lonLat: readonly [number, number]): [number, number] => {
  const [x, y] = geo().projection(lonLat as [number, number])!;
  return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
};

/** The 63-province codes a unit covers: itself, or its predecessors (recursively), if they have shapes. */
export function shapeCodes(unit: string, lineage: Map<string, Lineage>): string[] {
  if (byCode.has(unit)) return [unit];
  return (lineage.get(unit)?.predecessors ?? []).flatMap((p) => shapeCodes(p.code, lineage));
}

const cache = new Map<string, UnitShape[]>();

/** Each unit's path, merged where needed; cached per set of units (merging 63 → 34 once costs ~40 ms). */
export function unitShapes(units: string[], lineage: Map<string, Lineage>): UnitShape[] {
  const key = [...units].sort().join(',');
  let hit = cache.get(key);
  if (!hit) {
    hit = units.flatMap((code) => {
      const parts = shapeCodes(code, lineage).map((c) => byCode.get(c)!);
      if (parts.length === 0) return [];
      const geometry = parts.length === 1 ? (feature(topology, parts[0]) as GeoJSON.Feature).geometry : merge(topology, parts);
      const shape = { type: 'Feature' as const, properties: {}, geometry };
      const { path } = geo();
      return [{ code, d: path(shape) ?? '' }];
    });
    if (cache.size > 8) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}
