// Long operations (a large upload's check and commit, a publication) as one streamed HTML page:
// the page's head first, then one line per step as the work reaches it (rows read, rows checked
// chunk by chunk with the event loop yielded between chunks, written, recomputed), then the outcome.
// A done operation ends with a link to its result page, reached by GET (and followed at once by a
// refresh): reloading the result never posts again. No script is needed: the browser renders the
// lines as they arrive, on Node and on workerd alike (hono/streaming over a web ReadableStream).
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { stream } from 'hono/streaming';
import { int, type Lang } from '../i18n.js';
import { html, Page } from '../layout.js';
import { OPERATION_LABELS } from './operation-labels.js';

/** What the work says as it advances: a line per step, with a labelled <progress> when it counts. */
export interface Progress {
  line(text: string, count?: { done: number; total: number }): Promise<void>;
}

/** The progress of work answered at once (small uploads): nothing to say. */
export const SILENT: Progress = { line: async () => {} };

/** One turn of the event loop (setTimeout exists on both runtimes): lets written lines leave and other requests run. */
export const yieldToLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** How an operation ended: done (what was done, and the result page to go to) or failed (what to show instead, nothing written). */
export type Outcome = { done: Child; result?: string } | { failed: Child };

const SLOT = '<!--operation-->';

export interface OperationPage { lang: Lang; title: string; alternate: string }

/** Runs `work` while streaming its progress in the page; an unexpected error ends the page with a notice (and is logged). */
export function streamedOperation(c: Context, p: OperationPage, work: (progress: Progress) => Promise<Outcome>): Response {
  const o = OPERATION_LABELS[p.lang];
  const [head, tail] = html(<Page lang={p.lang} title={p.title} alternate={p.alternate}><h1>{p.title}</h1>{raw(SLOT)}</Page>).split(SLOT);
  c.header('content-type', 'text/html; charset=utf-8');
  c.header('cache-control', 'no-store');
  return stream(c, async (s) => {
    await s.write(head + String(
      <>
        <h2 id="op-title">{o.working}</h2>
        <p class="sub">{o.workingLead}</p>
      </>,
    ) + '<div role="log" aria-labelledby="op-title"><ol class="op-log" data-operation>');
    let step = 0;
    const progress: Progress = {
      line: async (text, count) => {
        step++;
        await s.write(String(<ProgressLine lang={p.lang} step={step} text={text} count={count} />));
      },
    };
    let outcome: Outcome;
    try {
      outcome = await work(progress);
    } catch (err) {
      console.error(err);
      outcome = { failed: <div class="notice" role="alert" data-failed="unexpected"><p>{o.brokeOff}</p></div> };
    }
    await s.write(`</ol></div>${String(<Ending lang={p.lang} outcome={outcome} />)}${tail}`);
  });
}

function ProgressLine({ lang, step, text, count }: { lang: Lang; step: number; text: string; count?: { done: number; total: number } }) {
  if (!count) return <li data-step={String(step)}>{text}</li>;
  const id = `step-${step}`;
  return (
    <li data-step={String(step)} data-done={String(count.done)} data-total={String(count.total)}>
      <label for={id}>{text}</label>{' '}
      <progress id={id} max={count.total} value={count.done}>{`${int(lang, Math.round((100 * count.done) / Math.max(count.total, 1)))} %`}</progress>
    </li>
  );
}

/** The outcome after the lines: what was done and the way to its result page, or why nothing was. */
function Ending({ lang, outcome }: { lang: Lang; outcome: Outcome }) {
  const o = OPERATION_LABELS[lang];
  if ('failed' in outcome) return <section data-outcome="failed" aria-label={o.failed}>{outcome.failed}</section>;
  return (
    <section class="saved" role="status" data-outcome="done">
      <p>{o.done}</p>
      {outcome.done}
      {outcome.result && <>
        <p><a href={outcome.result} data-result-link>{o.seeResult}</a></p>
        {/* Post/redirect/get without a script: the browser moves on to the result page by GET. */}
        <meta http-equiv="refresh" content={`0;url=${outcome.result}`} />
      </>}
    </section>
  );
}
