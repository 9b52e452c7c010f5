// The frame of every page: language, landmarks, the language switch, the notices a reader must
// see (demo data, provisional methodology) and the publication served.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Publication, Served } from './data.js';
import { decisionOf } from '../store/workflow.js';
import { date, decisionDate, LABELS, type Lang } from './i18n.js';
import { CSS } from './style.js';

export interface PageProps {
  lang: Lang;
  title: string;
  /** the same page in the other language */
  alternate: string;
  children: Child;
}

export function Page({ lang, title, alternate, children }: PageProps) {
  const t = LABELS[lang];
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t.site}`}</title>
        <link rel="alternate" hreflang={other} href={alternate} />
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">{t.skip}</a>
        <header>
          <p class="site"><a href={`/${lang}`}>{t.site}</a></p>
          <nav aria-label={lang === 'vi' ? 'Ngôn ngữ' : 'Language'}>
            <ul><li><a href={alternate} hreflang={other} lang={other}>{t.otherLang}</a></li></ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer><p>{t.footer}</p></footer>
      </body>
    </html>
  );
}

/** Demo data and provisional numbers, said before anything else on the page. */
export function Notices({ lang, served }: { lang: Lang; served: Served }) {
  const t = LABELS[lang];
  const provisional = served.cycle.methodology.provisionalNodes;
  if (!served.notice && provisional === 0) return null;
  return (
    <div class="notice" role="note">
      {served.notice && <p data-notice="synthetic">{t.synthetic}</p>}
      {provisional > 0 && <p data-notice="provisional">{t.provisional(provisional)}</p>}
    </div>
  );
}

/** The publication served: revision, date, content hash, methodology; a pinned page links to the latest. */
export function Revision({ lang, p, latestHref }: { lang: Lang; p: Publication; latestHref: string }) {
  const t = LABELS[lang];
  const r = p.view.frozen.revision;
  const m = p.served.cycle.methodology;
  const decision = decisionOf(r);
  return (
    <section aria-labelledby="revision-h">
      <h2 id="revision-h">{t.served}</h2>
      <dl class="facts" data-revision={String(r.revision)}>
        <dt>{t.revision}</dt><dd>{String(r.revision)}</dd>
        {decision && <><dt>{t.decisionTerm}</dt><dd data-decision={decision.number} data-decision-date={decision.date}>{t.decision(decision.number, decisionDate(lang, decision.date))}</dd></>}
        <dt>{t.publishedAt}</dt><dd><time datetime={r.publishedAt}>{date(lang, r.publishedAt)}</time></dd>
        <dt>{t.contentHash}</dt><dd><code data-hash>{r.contentHash}</code></dd>
        <dt>{t.methodology}</dt><dd><code>{`${m.id} v${m.version}`}</code></dd>
        {r.reason && <><dt>{t.reason}</dt><dd lang="en">{r.reason}</dd></>}
      </dl>
      {p.pinned && <p>{t.pinned(r.revision)} <a href={latestHref}>{t.latest}</a></p>}
    </section>
  );
}

/** A whole page as the bytes served. */
export const html = (page: Child): string => `<!doctype html>${String(page)}`;
