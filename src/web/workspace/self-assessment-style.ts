// The self-assessment screens' styles, added to the site's one stylesheet (src/web/style.ts, hashed in the CSP).
export const SELF_ASSESSMENT_CSS = `
.sa-domain>h2{margin-top:2rem;border-bottom:2px solid var(--line)}
.sa-criterion>h3{margin:1.2rem 0 .4rem}
form.work fieldset.sa-leaf{margin:.8rem 0}
form.work fieldset.sa-leaf[data-invalid=true]{border:2px solid #b3261e}
.sa-code{font-variant-numeric:tabular-nums}
.sa-max{font-weight:400}
.sa-rule{margin:.2rem 0 .5rem;color:#444}
form.work fieldset.sa-choice{border:0;margin:.3rem 0;padding:0}
form.work fieldset.sa-choice legend{padding:0;font-weight:600}
.sa-choice label{margin-right:1.2rem;font-weight:400}
.sa-option{display:inline-block;margin:0 1rem .3rem 0}
.sa-option input,.sa-value input{width:8em}
.sa-progress progress{width:12em;vertical-align:middle}
.sa-errors{border:2px solid #b3261e;background:#fff6f5;padding:.5rem .8rem;margin:1rem 0}
.sa-errors p{font-weight:700;margin:0 0 .3rem}
.sa-appraised{border-left:4px solid #8a5a00;background:#fff8e8;padding:.3rem .6rem;margin:.5rem 0}
.sa-appraised p{margin:.2rem 0}
.sa-scorecard table{margin-top:.5rem}
@media print{.sa-leaf{break-inside:avoid}.sa-progress progress{display:none}}
`;
