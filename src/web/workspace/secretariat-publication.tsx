// A publication from the cycle page, as a long operation (operation.tsx): the results computed,
// the revision frozen and written by the API's changeStatus (atomic, audited, 409 when the cycle
// changed), its hash; then the revision's own page by GET, which a reload never publishes again.
//   GET /{lang}/workspace/cycles/{year}/{unitType}/revisions/{n}   a revision: number, decision, hash, reason
import type { Context } from 'hono';
import { changeStatus, type StatusInput } from '../../http/cycle-writes.js';
import type { AppEnv } from '../../http/env.js';
import { ApiProblem } from '../../http/problem.js';
import type { CycleRow } from '../../store/cycles.js';
import { decisionOf, draftContent, listRevisions, type RevisionRow } from '../../store/workflow.js';
import { date, decisionDate, int, LABELS, type Lang } from '../i18n.js';
import { otherLanguage } from '../paths.js';
import { Page } from '../layout.js';
import { streamedOperation } from './operation.js';
import { OPERATION_LABELS } from './operation-labels.js';
import { SECRETARIAT_LABELS } from './secretariat-labels.js';
import { cyclePath } from './secretariat-pages.js';

export const revisionPath = (lang: Lang, year: number, unitType: string, revision: number) => cyclePath(lang, year, unitType, `/revisions/${revision}`);

const titleOf = (lang: Lang, cycle: CycleRow) => SECRETARIAT_LABELS[lang].cycleTitle(cycle.year, LABELS[lang].unitTypes[cycle.unitType] ?? cycle.unitType);

/** Publishes with its progress in view; a refusal met on the way (the cycle changed meanwhile) ends the page with it, nothing written. */
export function publishing(c: Context<AppEnv>, lang: Lang, cycle: CycleRow, body: StatusInput): Response {
  const o = OPERATION_LABELS[lang];
  const page = { lang, title: titleOf(lang, cycle), alternate: otherLanguage(cyclePath(lang, cycle.year, cycle.unitType), lang) };
  return streamedOperation(c, page, async (progress) => {
    await progress.line(o.computing);
    // The report the publication freezes: computed here (and kept), so that the write below finds it ready.
    const { report } = await draftContent(c.get('driver'), cycle);
    await progress.line(o.computed(int(lang, report.rows.length)));
    let published: RevisionRow | null;
    try {
      published = (await changeStatus(c, cycle.year, cycle.unitType, body)).published;
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      return { failed: <div class="notice" role="alert" data-problem={err.type}><p>{o.failed}</p><p lang="en">{err.detail}</p><p><a href={cyclePath(lang, cycle.year, cycle.unitType)}>{SECRETARIAT_LABELS[lang].backToCycle}</a></p></div> };
    }
    const r = published!;
    await progress.line(o.published(int(lang, r.revision)));
    await progress.line(o.hashed(r.contentHash));
    return { done: <RevisionFacts lang={lang} r={r} />, result: revisionPath(lang, cycle.year, cycle.unitType, r.revision) };
  });
}

function RevisionFacts({ lang, r }: { lang: Lang; r: RevisionRow }) {
  const o = OPERATION_LABELS[lang], t = LABELS[lang];
  const decision = decisionOf(r);
  return (
    <dl class="facts" data-revision={String(r.revision)}>
      <dt>{o.revision}</dt><dd>{String(r.revision)}</dd>
      {decision && <><dt>{o.decision}</dt><dd data-decision={decision.number}>{t.decision(decision.number, decisionDate(lang, decision.date))}</dd></>}
      <dt>{o.publishedAt}</dt><dd><time datetime={r.publishedAt}>{date(lang, r.publishedAt)}</time></dd>
      <dt>{o.publishedBy}</dt><dd><code>{r.publishedBy}</code></dd>
      {r.reason && <><dt>{o.reason}</dt><dd>{r.reason}</dd></>}
      <dt>{o.contentHash}</dt><dd><code data-hash>{r.contentHash}</code></dd>
    </dl>
  );
}

/** A revision's page: what the publication wrote, read back from the store. */
export async function RevisionPage(c: Context<AppEnv>, lang: Lang, cycle: CycleRow, revision: number) {
  const o = OPERATION_LABELS[lang];
  const r = (await listRevisions(c.get('driver'), cycle.id)).find((x) => x.revision === revision);
  if (!r) throw new ApiProblem('not-found', o.noRevision);
  const title = o.revisionTitle(r.revision, cycle.year, LABELS[lang].unitTypes[cycle.unitType] ?? cycle.unitType);
  const path = revisionPath(lang, cycle.year, cycle.unitType, r.revision);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(path, lang)}>
      <h1>{title}</h1>
      <p class="saved" role="status" data-result="published">{o.revisionLead}</p>
      <RevisionFacts lang={lang} r={r} />
      <ul>
        <li><a href={`/${lang}/ranking/${cycle.year}/${cycle.unitType}?revision=${r.revision}`} data-link="ranking">{o.publicPage}</a></li>
        <li><a href={`/v1/cycles/${cycle.year}/${cycle.unitType}/revisions/${r.revision}/bundle`} data-link="bundle">{o.bundle}</a></li>
        <li><a href={cyclePath(lang, cycle.year, cycle.unitType)}>{SECRETARIAT_LABELS[lang].backToCycle}</a></li>
      </ul>
    </Page>
  );
}
