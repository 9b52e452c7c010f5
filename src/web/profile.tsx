// The unit profile (unit × year), the page a province or ministry opens first: its standing, its
// domains against the means, where it lost points, the whole tree, and its history.
import { lostPoints as presentLostPoints } from '../http/present.js';
import type { CompiledMethodology } from '../engine/index.js';
import { snap } from '../engine/index.js';
import type { ReportRow } from '../store/results.js';
import { DomainChart } from './charts.js';
import type { HistoryEntry, Publication } from './data.js';
import { int, LABELS, nameIn, num, type Lang } from './i18n.js';
import { Notices, Page, Revision } from './layout.js';
import { otherLanguage, profilePath, rankingPath, scorecardApi } from './paths.js';
import { RANK_RULE_LABELS, rankRuleText } from './rank-rule.js';
import { withQuery } from './table.js';

export interface ProfileProps {
  lang: Lang;
  p: Publication;
  row: ReportRow;
  methodology: CompiledMethodology;
  history: HistoryEntry[];
  /** names of every unit of the type, for predecessors named in the history */
  names: Map<string, string>;
}

/** How many of the largest losses the page lists, as the JSON scorecard's lostPoints. */
const LOST_SHOWN = 10;

export function ProfilePage(props: ProfileProps) {
  const { lang, p, row } = props;
  const t = LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const name = row.name.vi.normalize('NFC');
  const title = t.profileTitle(name, year);
  const self = withQuery(profilePath(lang, row.unit, year), { revision: p.pinned });
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(self, lang)}>
      <p class="noprint"><a href={withQuery(rankingPath(lang, year, unitType), { revision: p.pinned })}>{`← ${t.backToRanking} ${year}`}</a></p>
      <h1><span lang="vi">{name}</span>{`: ${lang === 'vi' ? 'Chỉ số CCHC' : 'PAR INDEX'} ${year}`}</h1>
      <p class="sub">{[lang === 'en' && row.name.en !== row.name.vi ? row.name.en : null, regionName(props), t.unitType[unitType] ?? unitType].filter(Boolean).join(' · ')}</p>
      <Notices lang={lang} served={p.served} />
      <KeyFigures {...props} />
      <Domains {...props} />
      <Lost {...props} />
      <DrillDown {...props} />
      <History {...props} />
      <Revision lang={lang} p={p} latestHref={profilePath(lang, row.unit, year)} />
      <ul class="inline noprint"><li><a href={scorecardApi(year, unitType, row.unit, p.pinned)} type="application/json">{t.apiLink}</a></li></ul>
    </Page>
  );
}

const regionName = ({ lang, p, row }: ProfileProps) => (row.region && p.regions.has(row.region) ? nameIn(lang, p.regions.get(row.region)) : null);

/** The year of the previous cycle the change is measured against: the latest year before this one in the history. */
const previousYear = ({ p, history }: ProfileProps): number | null =>
  history.filter((h) => h.year < p.report.cycle.year).reduce<number | null>((y, h) => (y === null || h.year > y ? h.year : y), null);

function KeyFigures(props: ProfileProps) {
  const { lang, p, row } = props;
  const t = LABELS[lang];
  const of = p.report.rows.filter((r) => r.rank !== null).length;
  const inRegion = row.region ? p.report.rows.filter((r) => r.region === row.region && r.rankWithin.region != null).length : 0;
  const figure = (key: string, label: string, value: string) => <li data-figure={key}><span class="v">{value}</span><span class="k">{label}</span></li>;
  return (
    <section aria-labelledby="figures-h">
      <h2 id="figures-h" class="vh">{t.keyFigures}</h2>
      <ul class="figures">
        {figure('index', t.index, num(lang, row.index, p.rounding))}
        {figure('rank', t.rank, row.rank === null ? t.unranked : t.rankOf(int(lang, row.rank), int(lang, of)))}
        {row.region && row.rankWithin.region != null && figure('rankInRegion', t.rankInRegion, t.rankOf(int(lang, row.rankWithin.region), int(lang, inRegion)))}
        {figure('group', t.group, row.group ?? '—')}
        <ChangeFigure {...props} />
      </ul>
      {row.change && <p data-rank-rule={row.change.rankRule}>{rankRuleText(lang, row.change, previousYear(props))}</p>}
    </section>
  );
}

/** Points and places since the previous cycle; places against the restated rank (change.rankRule). */
function ChangeFigure(props: ProfileProps) {
  const { lang, p, row } = props;
  const c = row.change;
  const year = previousYear(props);
  if (!c || year === null) return null;
  const r = RANK_RULE_LABELS[lang];
  const points = `${num(lang, c.indexChange, p.rounding, { signed: true })} ${r.points}`;
  const places = c.rankChange === null ? null : `${int(lang, c.rankChange, true)} ${r.placesUnit}`;
  return (
    <li data-figure="change">
      <span class="v">{places ? `${points} · ${places}` : points}</span>
      <span class="k">{`${LABELS[lang].change} ${r.previous(String(year))}`}</span>
      {c.restatedRank !== null && c.rankRule !== 'same-units' && <span class="k" data-restated>{r.restated(String(year), int(lang, c.restatedRank), int(lang, c.restatedOf))}</span>}
    </li>
  );
}

function Domains(props: ProfileProps) {
  const { lang, p, row } = props;
  const t = LABELS[lang];
  const d = p.rounding;
  const regional = row.region ? p.report.statistics.by.region?.[row.region] : undefined;
  const domains = p.report.domains.map((dm) => ({
    ...dm, node: row.nodes[dm.code],
    national: p.report.statistics.domains[dm.code]?.mean ?? null, regional: regional?.domains[dm.code]?.mean ?? null,
  }));
  const name = row.name.vi.normalize('NFC');
  return (
    <section aria-labelledby="domains-h">
      <h2 id="domains-h">{t.domains}</h2>
      {/* Drawn twice, at a screen's and at a phone's width: CSS shows one (the hidden one is out of the accessibility tree too). */}
      {[{ width: 800, cls: 'chart-wide' }, { width: 350, cls: 'chart-phone' }].map((v) => (
        <figure class={v.cls}>
          <DomainChart
            id={`domains-chart-${v.width}`} width={v.width} lang={lang} rounding={d} title={t.domainChartTitle(name)} desc={t.domainChartDesc}
            legend={{ unit: name, national: t.nationalMean, regional: regional ? t.regionalMean : null }}
            bars={domains.map((dm) => ({ code: dm.code, label: `${dm.code}. ${nameIn(lang, dm.name, dm.code)}`, percent: dm.node?.percent ?? null, national: dm.national, regional: dm.regional }))}
          />
        </figure>
      ))}
      <div class="scroll" role="region" aria-labelledby="domains-cap" tabindex={0}>
        <table id="domains" class="cards">
          <caption id="domains-cap">{t.domainsCaption}</caption>
          <thead><tr>
            <th scope="col">{t.domain}</th><th scope="col" class="n">{t.points}</th><th scope="col" class="n">{t.max}</th>
            <th scope="col" class="n">{t.percentOfMax}</th><th scope="col" class="n">{t.nationalMean}</th>
            {regional && <th scope="col" class="n">{t.regionalMean}</th>}<th scope="col" class="n">{t.domainRank}</th>
          </tr></thead>
          <tbody>
            {domains.map((dm) => (
              <tr data-domain={dm.code}>
                <th scope="row">{`${dm.code}. ${nameIn(lang, dm.name, dm.code)}`}</th>
                <td class="n" data-col="points" data-label={t.points}>{num(lang, dm.node?.points ?? dm.node?.value, d)}</td>
                <td class="n" data-col="max" data-label={t.max}>{num(lang, dm.max, d)}</td>
                <td class="n" data-col="percent" data-label={t.percentOfMax}>{num(lang, dm.node?.percent, d)}</td>
                <td class="n" data-col="nationalMean" data-label={t.nationalMean}>{num(lang, dm.national, d)}</td>
                {regional && <td class="n" data-col="regionalMean" data-label={t.regionalMean}>{num(lang, dm.regional, d)}</td>}
                <td class="n" data-col="rank" data-label={t.domainRank}>{int(lang, dm.node?.rank)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * The sub-criteria where the unit lost the most points, as the JSON scorecard's lostPoints
 * computes them (max − points, largest first, ties by code).
 */
export function lostPoints(p: Publication, row: ReportRow) {
  return presentLostPoints(p.report, row).map(({ indicator, ...x }) => ({ code: indicator, ...x }));
}

function Lost({ lang, p, row }: ProfileProps) {
  const t = LABELS[lang];
  const lost = lostPoints(p, row).slice(0, LOST_SHOWN);
  return (
    <section aria-labelledby="lost-h">
      <h2 id="lost-h">{t.lostTitle}</h2>
      {lost.length === 0 ? <p>{t.noneLost}</p> : (
        <table id="lost" class="tree-cards">
          <caption>{t.lostCaption(lost.length)}</caption>
          <thead><tr><th scope="col">{t.code}</th><th scope="col">{t.name}</th><th scope="col" class="n">{t.max}</th><th scope="col" class="n">{t.points}</th><th scope="col" class="n">{t.lost}</th></tr></thead>
          <tbody>
            {lost.map((x) => (
              <tr data-indicator={x.code}>
                <td>{x.code}</td><th scope="row">{nameIn(lang, x.name, x.code)}</th>
                <td class="n" data-label={t.max}>{num(lang, x.max, p.rounding)}</td><td class="n" data-label={t.points}>{num(lang, x.points, p.rounding)}</td><td class="n" data-col="lost" data-label={t.lost}>{num(lang, x.lost, p.rounding)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Domain → criterion → sub-criterion, one row group per domain, from the methodology the publication used. */
function DrillDown({ lang, p, row, methodology }: ProfileProps) {
  const t = LABELS[lang];
  const d = p.rounding;
  const domains = methodology.nodes.filter((n) => n.depth === 1);
  const descendants = (i: number): number[] => methodology.nodes[i].children.flatMap((c) => [c, ...descendants(c)]);
  // Marked one by one when only some are provisional; said once when all are (a mark on every row says nothing).
  const shown = methodology.nodes.filter((n) => n.depth > 0);
  const provisional = shown.filter((n) => n.provenance?.status === 'provisional').length;
  const markEach = provisional > 0 && provisional < shown.length;
  const line = (i: number) => {
    const node = methodology.nodes[i];
    const r = row.nodes[node.code];

    const max = Number.isFinite(node.max) ? node.max : null;
    const lost = max === null || r?.points == null ? null : snap(max - r.points);
    return (
      <tr class={`depth-${Math.min(node.depth, 4)}`} data-node={node.code}>
        <td>{node.code}</td>
        <th scope="row">{nameIn(lang, node.name, node.code)}</th>
        <td class="n" data-col="max" data-label={t.max}>{num(lang, max, d)}{markEach && node.provenance?.status === 'provisional' && <span title={t.provisionalMark}> †</span>}</td>
        <td class="n" data-col="points" data-label={t.points}>{num(lang, r?.points ?? r?.value, d)}</td>
        <td class="n" data-col="lost" data-label={t.lost}>{num(lang, lost, d)}</td>
      </tr>
    );
  };
  return (
    <section aria-labelledby="drill-h">
      <h2 id="drill-h">{t.drillTitle}</h2>
      <div class="scroll" role="region" aria-labelledby="drill-cap" tabindex={0}>
        <table id="drill" class="tree-cards">
          <caption id="drill-cap">{t.drillCaption}</caption>
          <thead><tr><th scope="col">{t.code}</th><th scope="col">{t.name}</th><th scope="col" class="n">{t.max}</th><th scope="col" class="n">{t.points}</th><th scope="col" class="n">{t.lost}</th></tr></thead>
          {domains.map((dm) => <tbody>{[dm.index, ...descendants(dm.index)].map(line)}</tbody>)}
        </table>
      </div>
      {markEach && <p>{`† ${t.provisionalMark}`}</p>}
      {provisional === shown.length && <p>{t.allProvisional}</p>}
    </section>
  );
}

function History({ lang, p, row, history, names }: ProfileProps) {
  const t = LABELS[lang];
  const rule = (h: HistoryEntry) => h.rule === 'same-unit' ? t.rules[h.rule]
    : `${t.rules[h.rule] ?? h.rule}: ${h.predecessors.map((c) => names.get(c) ?? c).join(', ')}`;
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">{t.historyTitle}</h2>
      <table id="history">
        <caption>{t.historyCaption}</caption>
        <thead><tr><th scope="col">{t.year}</th><th scope="col" class="n">{t.index}</th><th scope="col" class="n">{t.rank}</th><th scope="col">{t.group}</th><th scope="col">{t.rule}</th></tr></thead>
        <tbody>
          {history.map((h) => (
            <tr data-year={String(h.year)} aria-current={h.current ? 'page' : undefined}>
              <th scope="row">{h.current || h.rule !== 'same-unit' ? String(h.year) : <a href={profilePath(lang, row.unit, h.year)}>{String(h.year)}</a>}{h.current && ` ${t.current}`}</th>
              <td class="n" data-col="index">{num(lang, h.index, p.rounding)}</td>
              <td class="n" data-col="rank">{h.rank === null ? '—' : t.rankOf(int(lang, h.rank), int(lang, h.of))}</td>
              <td>{h.group ?? '—'}</td>
              <td>{h.current ? '' : rule(h)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t.lineageNote}</p>
    </section>
  );
}
