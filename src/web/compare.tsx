// Compare 2–4 units of one publication side by side: index, rank and group, each domain as % of
// its maximum, then every criterion and sub-criterion in points, each unit's difference from the
// first. The units are chosen with a GET form (no script): ?units=01&units=79…
import { snap, type CompiledMethodology } from '../engine/index.js';
import type { ReportRow } from '../store/results.js';
import type { Publication } from './data.js';
import { int, LABELS, nameIn, num, type Lang } from './i18n.js';
import { PAGE_LABELS } from './i18n-pages.js';
import { Notices, Page, Revision } from './layout.js';
import { comparePath, otherLanguage, profilePath, rankingPath } from './paths.js';
import { PageProblem } from './serve.js';
import { withQuery } from './table.js';

export const MAX_COMPARED = 4;

/**
 * The units asked for, in their order, without repeats or empty choices (`?units=01&units=79` from the
 * form, or `?units=01,79` typed by hand); a unit not in the publication is a 400 in the reader's language.
 */
export function comparedUnits(asked: string[], p: Publication, lang: Lang): ReportRow[] {
  const w = PAGE_LABELS[lang];
  const codes = [...new Set(asked.flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== ''))];
  if (codes.length > MAX_COMPARED) throw new PageProblem(lang, 'invalid-request', w.tooManyUnits(MAX_COMPARED, codes.length), [{ pointer: '/units', field: 'units', message: `at most ${MAX_COMPARED}` }]);
  const { year, unitType } = p.report.cycle;
  return codes.map((code) => {
    const row = p.report.rows.find((r) => r.unit === code);
    if (!row) throw new PageProblem(lang, 'invalid-request', w.unitNotAssessed(code.slice(0, 40), year, LABELS[lang].unitType[unitType]), [{ pointer: '/units', field: 'units', message: 'unknown unit' }]);
    return row;
  });
}

export interface CompareProps { lang: Lang; p: Publication; m: CompiledMethodology; units: ReportRow[] }

export function ComparePage(props: CompareProps) {
  const { lang, p, units } = props;
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const self = withQuery(comparePath(lang, year, unitType, units.map((u) => u.unit)), {});
  const pinned = p.pinned ? `${self}${self.includes('?') ? '&' : '?'}revision=${p.pinned}` : self;
  const title = w.compareTitle(year, t.unitType[unitType] ?? unitType);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(pinned, lang)}>
      <p class="noprint"><a href={withQuery(rankingPath(lang, year, unitType), { revision: p.pinned })}>{`← ${t.backToRanking} ${year}`}</a></p>
      <h1>{title}</h1>
      <Notices lang={lang} served={p.served} />
      <p class="sub">{w.compareLead}</p>
      <Chooser {...props} />
      {units.length < 2 ? <p data-choose-more>{w.chooseMore}</p> : (
        <>
          <p>{w.differenceNote(units[0].name.vi.normalize('NFC'))}</p>
          <Overview {...props} />
          <Tree {...props} />
        </>
      )}
      <Revision lang={lang} p={p} latestHref={comparePath(lang, year, unitType, units.map((u) => u.unit))} />
    </Page>
  );
}

function Chooser({ lang, p, units }: CompareProps) {
  const w = PAGE_LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const all = [...p.report.rows].sort((a, b) => a.name.vi.localeCompare(b.name.vi, 'vi') || a.unit.localeCompare(b.unit));
  return (
    <form class="filters compare" method="get" action={comparePath(lang, year, unitType)} aria-labelledby="choose-h">
      <h2 id="choose-h" class="vh">{w.chooseUnits}</h2>
      <div class="pick">
        {Array.from({ length: MAX_COMPARED }, (_, i) => (
          <label>{w.unitN(i + 1)}
            <select name="units">
              <option value="" selected={!units[i]}>{w.none}</option>
              {all.map((r) => <option value={r.unit} selected={units[i]?.unit === r.unit}>{r.name.vi.normalize('NFC')}</option>)}
            </select>
          </label>
        ))}
      </div>
      {p.pinned && <input type="hidden" name="revision" value={p.pinned} />}
      <p><button type="submit">{w.compare}</button></p>
    </form>
  );
}

/** The column headings: each unit, and after every unit but the first its difference from the first. */
function Headings({ lang, p, units, lead }: CompareProps & { lead: string[] }) {
  const w = PAGE_LABELS[lang];
  const { year } = p.report.cycle;
  return (
    <thead><tr>
      {lead.map((x, i) => <th scope="col" class={i >= 2 ? 'n' : undefined}>{x}</th>)}
      {units.map((u, i) => (
        <>
          <th scope="col" class="n" data-unit={u.unit}><a href={withQuery(profilePath(lang, u.unit, year), { revision: p.pinned })} lang="vi">{u.name.vi.normalize('NFC')}</a></th>
          {i > 0 && <th scope="col" class="n">{w.diffShort}<span class="vh">{` (${w.difference(units[0].name.vi.normalize('NFC'))})`}</span></th>}
        </>
      ))}
    </tr></thead>
  );
}

/** One row's cells: each unit's value, and its difference from the first unit's. */
function Cells({ lang, units, value, decimals, signedDiff = true }: { lang: Lang; units: ReportRow[]; value: (r: ReportRow) => number | null | undefined; decimals: number; signedDiff?: boolean }) {
  const first = value(units[0]);
  return (
    <>
      {units.map((u, i) => {
        const x = value(u);
        const diff = i === 0 || x == null || first == null ? null : snap(x - first);
        return (
          <>
            <td class="n" data-unit={u.unit}>{num(lang, x, decimals)}</td>
            {i > 0 && <td class={`n ${diff ? (diff > 0 ? 'pos' : 'neg') : ''}`.trim()} data-diff={u.unit}>{num(lang, diff, decimals, { signed: signedDiff })}</td>}
          </>
        );
      })}
    </>
  );
}

function Overview(props: CompareProps) {
  const { lang, p, units } = props;
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const text = (key: string, label: string, value: (r: ReportRow) => string) => (
    <tr data-row={key}><th scope="row" colspan={2}>{label}</th>{units.map((u, i) => <><td class="n" data-unit={u.unit}>{value(u)}</td>{i > 0 && <td />}</>)}</tr>
  );
  const of = p.report.rows.filter((r) => r.rank !== null).length;
  return (
    <div class="scroll" role="region" aria-labelledby="overview-cap" tabindex={0}>
      <table id="overview" class="wide cmp">
        <caption id="overview-cap">{w.compareCaption}</caption>
        <Headings {...props} lead={[t.code, t.name]} />
        <tbody>
          <tr data-row="index"><th scope="row" colspan={2}>{t.index}</th><Cells lang={lang} units={units} value={(r) => r.index} decimals={p.rounding} /></tr>
          {text('rank', t.rank, (r) => (r.rank === null ? t.unranked : t.rankOf(int(lang, r.rank), int(lang, of))))}
          {text('group', t.group, (r) => r.group ?? '—')}
        </tbody>
        <tbody>
          {p.report.domains.map((d) => (
            <tr data-domain={d.code}>
              <td>{d.code}</td><th scope="row">{nameIn(lang, d.name, d.code)}</th>
              <Cells lang={lang} units={units} value={(r) => r.nodes[d.code]?.percent ?? r.nodes[d.code]?.value} decimals={p.rounding} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every criterion and sub-criterion in points, with its maximum, one row group per domain. */
function Tree(props: CompareProps) {
  const { lang, p, m, units } = props;
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const descendants = (i: number): number[] => m.nodes[i].children.flatMap((c) => [c, ...descendants(c)]);
  const row = (i: number) => {
    const n = m.nodes[i];
    return (
      <tr class={`depth-${Math.min(n.depth, 4)}`} data-node={n.code}>
        <td>{n.code}</td>
        <th scope="row">{nameIn(lang, n.name, n.code)}</th>
        <td class="n" data-col="max">{num(lang, Number.isFinite(n.max) ? n.max : null, p.rounding)}</td>
        <Cells lang={lang} units={units} value={(r) => r.nodes[n.code]?.points ?? r.nodes[n.code]?.value} decimals={p.rounding} />
      </tr>
    );
  };
  return (
    <section aria-labelledby="leaves-h">
      <h2 id="leaves-h">{w.leavesCaption}</h2>
      <div class="scroll" role="region" aria-labelledby="leaves-cap" tabindex={0}>
        <table id="leaves" class="wide cmp">
          <caption id="leaves-cap">{w.leavesTableCaption}</caption>
          <Headings {...props} lead={[t.code, t.name, t.max]} />
          {m.nodes.filter((n) => n.depth === 1).map((d) => <tbody>{[d.index, ...descendants(d.index)].map(row)}</tbody>)}
        </table>
      </div>
    </section>
  );
}
