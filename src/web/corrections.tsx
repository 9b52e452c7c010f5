// A publication's log: every revision up to the one served (date, reason, content hash) and, for
// each correction, what it changed against the revision before: the JSON diff's own computation
// (diffRevisions, as GET …/revisions/{from}/diff/{to}), shown unit by unit.
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { diffRevisions, getRevision, listRevisions, type RevisionDiff, type RevisionRow } from '../store/workflow.js';
import type { Publication } from './data.js';
import { date, int, LABELS, num, type Lang } from './i18n.js';
import { PAGE_LABELS } from './i18n-pages.js';

export interface LogEntry { revision: RevisionRow; diff: RevisionDiff | null }

/** The revisions up to the one served, latest first, each correction with its diff from the one before. */
export async function correctionsOf(c: Context<AppEnv>, p: Publication): Promise<LogEntry[]> {
  const d = c.get('driver');
  const served = p.view.frozen.revision.revision;
  const rows = (await listRevisions(d, p.cycle.id)).filter((r) => r.revision <= served);
  const out: LogEntry[] = [];
  for (const row of rows) {
    const [before, after] = row.revision > 1 ? [await getRevision(d, p.cycle.id, row.revision - 1), await getRevision(d, p.cycle.id, row.revision)] : [];
    out.push({ revision: row, diff: before && after ? diffRevisions(before, after) : null });
  }
  return out;
}

export function CorrectionsLog({ lang, p, log }: { lang: Lang; p: Publication; log: LogEntry[] }) {
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const names = new Map(p.report.rows.map((r) => [r.unit, r.name.vi.normalize('NFC')]));
  const arrow = (from: string, to: string) => (from === to ? to : `${from} → ${to}`);
  return (
    <section aria-labelledby="log-h">
      <h2 id="log-h">{w.logTitle}</h2>
      {log.length <= 1 && <p>{w.noCorrections}</p>}
      <div class="scroll" role="region" aria-labelledby="log-cap" tabindex={0}>
        <table id="corrections">
          <caption id="log-cap">{w.logCaption}</caption>
          <thead><tr><th scope="col" class="n">{t.revision}</th><th scope="col">{t.publishedAt}</th><th scope="col">{t.reason}</th><th scope="col">{w.changed}</th><th scope="col">{t.contentHash}</th></tr></thead>
          <tbody>
            {log.map(({ revision: r, diff }) => (
              <tr data-revision={String(r.revision)}>
                <th scope="row" class="n">{String(r.revision)}</th>
                <td><time datetime={r.publishedAt}>{date(lang, r.publishedAt)}</time></td>
                <td>{r.reason ?? '—'}</td>
                <td data-col="changed">{diff ? w.changedCounts(diff.units.length, diff.scores.length) : w.firstPublication}</td>
                <td><code>{r.contentHash.slice(0, 12)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.filter((x) => x.diff && x.diff.units.length > 0).map(({ revision: r, diff }) => (
        <details>
          <summary>{w.diffTitle(r.revision - 1, r.revision)}</summary>
          <table id={`diff-${r.revision}`}>
            <caption>{w.diffTitle(r.revision - 1, r.revision)}</caption>
            <thead><tr><th scope="col">{t.unit}</th><th scope="col" class="n">{t.index}</th><th scope="col" class="n">{t.rank}</th><th scope="col">{t.group}</th></tr></thead>
            <tbody>
              {diff!.units.map((u) => (
                <tr data-unit={u.unit}>
                  <th scope="row" lang="vi">{names.get(u.unit) ?? u.unit}</th>
                  <td class="n" data-col="index">{arrow(num(lang, u.index.from, p.rounding), num(lang, u.index.to, p.rounding))}</td>
                  <td class="n" data-col="rank">{arrow(int(lang, u.rank.from), int(lang, u.rank.to))}</td>
                  <td data-col="group">{arrow(u.group.from ?? '—', u.group.to ?? '—')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </section>
  );
}
