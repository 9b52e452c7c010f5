// The review of a cycle before it is published: the draft's results in the public ranking's own
// table, and what publishing would change against the latest publication (the API's diffRevisions,
// applied to the draft as publishing it now would freeze it).
import type { CycleRow } from '../../store/cycles.js';
import type { CycleReport } from '../../store/results.js';
import type { RevisionDiff } from '../../store/workflow.js';
import { int, LABELS, num, nameIn, type Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { ResultTable, type TableSource } from '../ranking.js';
import { withQuery } from '../table.js';
import { WORKSPACE_LABELS } from './labels.js';
import { cyclePath } from './secretariat-pages.js';
import { SECRETARIAT_LABELS } from './secretariat-labels.js';

export interface ReviewProps {
  lang: Lang;
  cycle: CycleRow;
  draft: TableSource;
  /** the diff against the latest publication, and its number; null before the first publication */
  diff: { against: number; changes: RevisionDiff } | null;
}

export function ReviewPage({ lang, cycle, draft, diff }: ReviewProps) {
  const s = SECRETARIAT_LABELS[lang], t = LABELS[lang], w = WORKSPACE_LABELS[lang];
  const title = s.reviewTitle(cycle.year, t.unitTypes[cycle.unitType] ?? cycle.unitType);
  const path = cyclePath(lang, cycle.year, cycle.unitType, '/review');
  const ranked = draft.report.rows.filter((r) => r.ranked);
  const ctx = { lang, p: draft, q: { sort: 'rank' }, url: (q: object) => withQuery(path, q as Record<string, string | undefined>) };
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(path, lang)}>
      <h1>{title}</h1>
      <p class="sub">{s.reviewLead}</p>
      <p><span data-phase={cycle.status}>{`${s.phaseNow}: ${w.phases[cycle.status] ?? cycle.status}`}</span> · <a href={cyclePath(lang, cycle.year, cycle.unitType)}>{s.backToCycle}</a></p>
      <ResultTable ctx={ctx} rows={ranked} id="draft-ranking" caption={s.draftCaption(ranked.length)} />
      <Diff lang={lang} report={draft.report} diff={diff} rounding={draft.rounding} />
    </Page>
  );
}

function Diff({ lang, report, diff, rounding }: { lang: Lang; report: CycleReport; diff: ReviewProps['diff']; rounding: number }) {
  const s = SECRETARIAT_LABELS[lang];
  const names = new Map(report.rows.map((r) => [r.unit, r.name]));
  return (
    <section aria-labelledby="diff-h" data-diff={diff ? String(diff.against) : 'none'}>
      <h2 id="diff-h">{s.diff}</h2>
      {!diff ? <p>{s.firstPublication}</p> : <>
        <p>{s.diffAgainst(diff.against)}</p>
        {diff.changes.units.length === 0 && diff.changes.scores.length === 0 && <p data-no-change>{s.noChange}</p>}
        {diff.changes.units.length > 0 && (
          <div class="scroll" role="region" aria-labelledby="unit-changes-cap" tabindex={0}>
            <table id="unit-changes">
              <caption id="unit-changes-cap">{s.unitChanges}</caption>
              <thead><tr>
                <th scope="col">{s.unit}</th><th scope="col" class="n">{`${s.index}: ${s.before}`}</th><th scope="col" class="n">{`${s.index}: ${s.after}`}</th>
                <th scope="col" class="n">{`${s.rank}: ${s.before}`}</th><th scope="col" class="n">{`${s.rank}: ${s.after}`}</th><th scope="col">{s.group}</th>
              </tr></thead>
              <tbody>{diff.changes.units.map((u) => (
                <tr data-unit-change={u.unit}>
                  <th scope="row" lang="vi">{nameIn(lang, names.get(u.unit), u.unit)}</th>
                  <td class="n" data-col="index-from">{num(lang, u.index.from, rounding)}</td><td class="n" data-col="index-to">{num(lang, u.index.to, rounding)}</td>
                  <td class="n" data-col="rank-from">{int(lang, u.rank.from)}</td><td class="n" data-col="rank-to">{int(lang, u.rank.to)}</td>
                  <td>{u.group.from === u.group.to ? (u.group.to ?? '—') : `${u.group.from ?? '—'} → ${u.group.to ?? '—'}`}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
        {diff.changes.scores.length > 0 && (
          <div class="scroll" role="region" aria-labelledby="score-changes-cap" tabindex={0}>
            <table id="score-changes">
              <caption id="score-changes-cap">{s.scoreChanges}</caption>
              <thead><tr><th scope="col">{s.unit}</th><th scope="col">{s.indicator}</th><th scope="col">{s.source}</th><th scope="col">{s.before}</th><th scope="col">{s.after}</th></tr></thead>
              <tbody>{diff.changes.scores.map((x) => (
                <tr data-score-change={`${x.unit}/${x.indicator}/${x.source}`}>
                  <th scope="row" lang="vi">{nameIn(lang, names.get(x.unit), x.unit)}</th><td><code>{x.indicator}</code></td><td>{x.source}</td>
                  <td data-col="from">{valueText(lang, x.from)}</td><td data-col="to">{valueText(lang, x.to)}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
      </>}
    </section>
  );
}

/** A stored value as the reader writes it: a number in their language, survey answers as JSON, none as a dash. */
function valueText(lang: Lang, value: unknown): string {
  if (typeof value === 'number') return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 6 }).format(value);
  return value === null || value === undefined ? '—' : JSON.stringify(value);
}
