// The workspace's styles: forms with errors beside their fields, then each screen's own.
import { ADMINISTRATION_CSS } from './administration-style.js';
import { APPRAISAL_CSS } from './appraisal-style.js';
import { SECRETARIAT_CSS } from './secretariat-style.js';
import { SELF_ASSESSMENT_CSS } from './self-assessment-style.js';

const FORM_CSS = `
form.work fieldset{border:1px solid var(--line);margin:1rem 0;padding:.6rem .9rem}
form.work legend{font-weight:700;padding:0 .3rem}
form.work label{font-weight:600}
form.work textarea{font:inherit;width:100%;min-height:2.6em;border:1px solid #6b6b6b;border-radius:3px;padding:.2rem .4rem}
form.work [aria-invalid=true]{border:2px solid #b3261e;background:#fff6f5}
.field-error{color:#b3261e;font-weight:600;margin:.2rem 0}
.saved{border:2px solid #1a6b36;background:#eef7f0;padding:.5rem .8rem;margin:1rem 0;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:.6rem;margin:1rem 0}
button.secondary{background:#fff;color:var(--fg)}
nav.tasks ul{list-style:none;margin:1rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
@media print{form.work button,.actions{display:none}}
`;

export const WORKSPACE_CSS = FORM_CSS + SELF_ASSESSMENT_CSS + APPRAISAL_CSS + SECRETARIAT_CSS + ADMINISTRATION_CSS;
