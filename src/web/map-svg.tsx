// The choropleth as one SVG: each unit a path carrying its code (data-unit) and a <title> with its
// name and value, the archipelagos boxed and named, the legend with counts, the attribution. The
// same element is inline on the page and, with xmlns, the standalone .svg download.
import { ARCHIPELAGOS, MAP_HEIGHT, MAP_WIDTH, project, type UnitShape } from './map-geometry.js';
import type { MapClass } from './map-data.js';

/** province: the 63-province codes the unit covers (where the archipelagos are) */
export interface MapRegion { shape: UnitShape; fill: string; label: string; province: string[] }
export interface MapSvgProps {
  id: string;
  title: string;
  desc: string;
  regions: MapRegion[];
  legend: { title: string; classes: MapClass[]; count: (n: number) => string };
  /** archipelago id → its label, e.g. "Quần đảo Hoàng Sa (Đà Nẵng)" */
  archipelagos: Record<string, string>;
  attribution: string;
  /** a note printed in the picture itself (demo data), for the standalone file */
  notice?: string;
  standalone?: boolean;
}

const FONT = 12;
const FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif';

export function MapSvg(props: MapSvgProps) {
  const { id } = props;
  return (
    <svg
      xmlns={props.standalone ? 'http://www.w3.org/2000/svg' : undefined} role="img" aria-labelledby={`${id}-t ${id}-d`}
      viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`} width={MAP_WIDTH} height={MAP_HEIGHT} font-size={FONT}
      font-family={props.standalone ? FONTS : undefined} data-chart="map" data-regions={String(props.regions.length)}
    >
      <title id={`${id}-t`}>{props.title}</title>
      <desc id={`${id}-d`}>{props.desc}</desc>
      {props.standalone && <rect width={MAP_WIDTH} height={MAP_HEIGHT} fill="#ffffff" />}
      <g data-regions stroke="#ffffff" stroke-width={0.6} stroke-linejoin="round">
        {props.regions.map((r) => <path d={r.shape.d} fill={r.fill} data-unit={r.shape.code}><title>{r.label}</title></path>)}
      </g>
      {ARCHIPELAGOS.map((a) => <Archipelago id={a.id} box={a.box} label={props.archipelagos[a.id]} islands={props.regions.find((r) => r.province.includes(a.province))} />)}
      <Legend {...props.legend} />
      {props.notice && <text x={8} y={MAP_HEIGHT - 8} font-weight="700" fill="#7a4b00" data-notice="synthetic">{props.notice}</text>}
      <text x={MAP_WIDTH - 8} y={MAP_HEIGHT - 8} text-anchor="end" fill="#4d4d4d" font-size={11} data-attribution>{props.attribution}</text>
    </svg>
  );
}

/**
 * A dashed box around the archipelago's islands and its name above it. The islands are a few pixels
 * at this scale: their unit's shape is drawn again inside the box, outlined dark, so that they show.
 */
function Archipelago({ id, box, label, islands }: { id: string; box: readonly (readonly [number, number])[]; label: string; islands?: MapRegion }) {
  const [x0, y1] = project(box[0]);
  const [x1, y0] = project(box[1]);
  const [name, holder] = label.split(' (');
  return (
    <g data-archipelago={id}>
      <clipPath id={`clip-${id}`}><rect x={x0} y={y0} width={x1 - x0} height={y1 - y0} /></clipPath>
      {islands && <path d={islands.shape.d} fill={islands.fill} stroke="#1a1a1a" stroke-width={0.8} clip-path={`url(#clip-${id})`} aria-hidden="true" />}
      <rect x={x0} y={y0} width={x1 - x0} height={y1 - y0} fill="none" stroke="#5c6b7a" stroke-width={1} stroke-dasharray="4 3" rx={4} />
      <text x={(x0 + x1) / 2} y={y0 - (holder ? 20 : 6)} text-anchor="middle" fill="#1a1a1a" font-style="italic">
        <tspan x={(x0 + x1) / 2}>{name}</tspan>
        {holder && <tspan x={(x0 + x1) / 2} dy={14}>{`(${holder}`}</tspan>}
      </text>
    </g>
  );
}

/** The classes with their colours and counts, top right (open sea at this projection). */
function Legend({ title, classes, count }: MapSvgProps['legend']) {
  const x = 330, y = 18, row = 20;
  return (
    <g data-legend transform={`translate(${x} ${y})`}>
      <text x={0} y={0} font-weight="700">{title}</text>
      {classes.map((c, i) => (
        <g transform={`translate(0 ${10 + i * row})`} data-class={c.key} data-count={String(c.count)}>
          <rect width={16} height={14} fill={c.colour} stroke="#6b6b6b" stroke-width={0.5} />
          <text x={22} y={11}>{`${c.label} (${count(c.count)})`}</text>
        </g>
      ))}
    </g>
  );
}
