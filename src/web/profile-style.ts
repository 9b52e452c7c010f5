// The profile on a phone (≤ 40rem, e.g. 390 px): the domain chart drawn at the phone's width, and
// the domain, lost-points and drill-down tables as cards (a row's name on its own line, its numbers
// labelled below) instead of columns squeezed to one word per line or scrolling sideways.
// Appended to the site's one stylesheet (style.ts), so the CSP hash covers it.
export const PROFILE_CSS = `
.chart-phone{display:none}
dl.facts dd{word-break:normal;overflow-wrap:anywhere}
@media (max-width:40rem){
  .chart-wide{display:none}.chart-phone{display:block}
  table.cards,table.cards tbody,table.cards caption,table.tree-cards,table.tree-cards tbody,table.tree-cards caption{display:block;width:100%}
  table.cards thead,table.tree-cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
  table.cards td[data-label]::before,table.tree-cards td[data-label]::before{content:attr(data-label);display:block;font-size:.78em;color:var(--muted);white-space:normal;font-weight:400}
  table.cards tbody tr{display:grid;grid-template-columns:repeat(3,1fr);border:1px solid var(--line);margin-bottom:.6rem}
  table.cards tbody th{grid-column:1/-1;border:0;border-bottom:1px solid var(--line);background:var(--soft);font-weight:600}
  table.cards tbody td{border:0;text-align:left;padding-top:.35em}
  table.tree-cards tbody tr{display:grid;grid-template-columns:3.2rem repeat(3,1fr);border:1px solid var(--line);border-top:0}
  table.tree-cards tbody tr:first-child{border-top:1px solid var(--line)}
  table.tree-cards tbody th,table.tree-cards tbody td{border:0}
  table.tree-cards tbody th{grid-column:2/-1}
  table.tree-cards tbody td{text-align:left}
  table.tree-cards tbody td:nth-of-type(2){grid-column:2}
  table.tree-cards tr.depth-2 th{padding-left:.8em}table.tree-cards tr.depth-3 th{padding-left:1.4em}table.tree-cards tr.depth-4 th{padding-left:2em}
  table.tree-cards tr.depth-1{background:var(--soft)}
}
`;
