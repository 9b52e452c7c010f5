// The appraisal screens' styles, added to the site's one stylesheet (src/web/style.ts, hashed in the CSP).
export const APPRAISAL_CSS = `
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table.appraisal-sheet{width:100%}
table.appraisal-sheet td,table.appraisal-sheet th{vertical-align:top}
table.appraisal-sheet input{width:6em}
table.appraisal-sheet textarea{min-width:12em}
table.appraisal-sheet .term{color:var(--muted)}
table.appraisal-sheet .state{display:block;color:var(--muted);margin-bottom:.3rem}
.appraisal section{margin:1.5rem 0}
details.appraisal-left ul{columns:14em}
@media print{details.appraisal-left{display:none}}
@media print{.appraisal .vh{display:none}}
`;
