// The map page's layout (map and table side by side when there is room, stacked on a phone) and
// the embeddable view; appended to the site's one stylesheet (style.ts), so the CSP hash covers it.
export const MAP_CSS = `
.map-layout{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-start}
.map-figure{flex:1 1 22rem;max-width:560px;margin:0}
.map-table{flex:1 1 20rem;max-height:42rem;overflow:auto}
.map-table table{margin-top:0}
svg.swatch{display:inline-block;vertical-align:-1px}
body.embed main{padding:.5rem}body.embed h1{font-size:1.1rem;margin:.2rem 0 .4rem}
form.map-form label,form.map-form select{max-width:100%}
.map-legend{display:none}
@media (max-width:40rem){.map-legend{display:flex}.map-figure svg g[data-legend]{display:none}}
@media print{.map-table{max-height:none;overflow:visible}}
`;
