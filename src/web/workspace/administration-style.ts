// The administration screens' styles, added to the site's one stylesheet (src/web/style.ts, hashed in the CSP).
export const ADMINISTRATION_CSS = `
pre.sample{background:#f4f4f4;border:1px solid var(--line);padding:.4rem .6rem;overflow-x:auto}
dl.counts{display:grid;grid-template-columns:max-content max-content;gap:.2rem 1rem}
dl.counts dd{margin:0;font-variant-numeric:tabular-nums;text-align:right;font-weight:700}
dl.new-key{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.new-key dd{margin:0}
[data-new-key]{font-size:1.1rem;word-break:break-all;user-select:all}
table.row-errors td:last-child,table.audit td:last-child{max-width:40ch;overflow-wrap:anywhere}
form.inline{display:inline;margin:0}
.audit-filters fieldset{display:flex;flex-wrap:wrap;gap:0 1rem}
.audit-filters .filter{margin:.3rem 0}
.hint{color:#555;font-size:.9rem;margin:.1rem 0}
ol.op-log{font-variant-numeric:tabular-nums;margin:.5rem 0 1rem}
ol.op-log progress{width:12rem;vertical-align:middle}
table#domains td:nth-child(n+3){text-align:right}
@media print{.audit-filters,form.inline{display:none}}
`;
