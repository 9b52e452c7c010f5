// A refusal on its own page, for every screen of the workspace: what the API answered the same person
// (403, 404, 409 …), in the reader's words, and the way back to the workspace.
import type { Child } from 'hono/jsx';
import type { Context } from 'hono';
import type { Lang } from '../i18n.js';
import { Page } from '../layout.js';
import { otherLanguage } from '../paths.js';
import { page, workspacePath, type PageStatus } from './forms.js';
import { WORKSPACE_LABELS } from './labels.js';

export interface Refusal {
  status: PageStatus;
  title: string;
  message: string;
  /** what `data-refused` names: the problem's type, or the status by default */
  kind?: string;
  /** more than the message: the problem's own errors */
  detail?: Child;
}

export function refusalPage(c: Context, lang: Lang, r: Refusal) {
  return page(c, r.status, (
    <Page lang={lang} title={r.title} alternate={otherLanguage(new URL(c.req.url).pathname, lang)}>
      <h1>{r.title}</h1>
      <div class="notice" role="alert" data-refused={r.kind ?? String(r.status)}>
        <p data-message>{r.message}</p>
        {r.detail}
      </div>
      <p><a href={workspacePath(lang)}>{WORKSPACE_LABELS[lang].workspace}</a></p>
    </Page>
  ));
}
