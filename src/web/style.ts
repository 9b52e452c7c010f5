// The site's only stylesheet, inline (allowed by its hash in the Content-Security-Policy): system
// fonts, dark text on light (at least 4.5:1), tables that scroll on a phone and print whole.
import { MAP_CSS } from './map-style.js';
import { PROFILE_CSS } from './profile-style.js';
import { WORKSPACE_CSS } from './workspace/style.js';

export const GROUP_COLOURS = ['#1a6b36', '#3f7f1f', '#9a5b00', '#b3261e', '#5c3c92', '#4d4d4d'];

export const CSS = `
:root{--fg:#1a1a1a;--muted:#4d4d4d;--line:#c8c8c8;--soft:#f4f5f7;--link:#0b57d0;--warn:#fff4d6;--warn-line:#a86800}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:#fff}
a{color:var(--link)}a:focus-visible,[tabindex]:focus-visible,button:focus-visible,select:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em 1em;z-index:1}.skip:focus{left:1em}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header,main,footer{max-width:80rem;margin:0 auto;padding:0 1.25rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.5rem 2rem;padding-top:1rem;padding-bottom:.5rem;border-bottom:2px solid var(--fg)}
header .site{font-weight:700;margin:0}header .site a{color:var(--fg);text-decoration:none}
header nav ul{list-style:none;margin:0;padding:0;display:flex;gap:1.2rem}
footer{margin-top:3rem;padding-top:.8rem;padding-bottom:2rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9em}
h1{margin:.8rem 0 .3rem;font-size:1.8rem;line-height:1.25}h2{margin-top:2.2rem;border-bottom:1px solid var(--line);font-size:1.35rem}
.sub{color:var(--muted);margin:.2rem 0 1rem}
.notice{border:2px solid var(--warn-line);background:var(--warn);padding:.5rem .8rem;margin:1rem 0;font-weight:600}
.notice p{margin:.2rem 0}
nav.years ul,ul.inline{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
[aria-current=page]{font-weight:700;color:var(--fg)}
form.filters{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.6rem 1.2rem;background:var(--soft);border:1px solid var(--line);padding:.6rem .8rem;margin:1rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.9em;gap:.15rem}
select,button,input{font:inherit;padding:.2rem .4rem;border:1px solid #6b6b6b;border-radius:3px;background:#fff;color:var(--fg)}
button{background:var(--fg);color:#fff;border-color:var(--fg);cursor:pointer;padding:.25rem .9rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.92em;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.2em 0 .4em}
th,td{border:1px solid var(--line);padding:.25em .5em;text-align:left;vertical-align:top}
thead th{background:var(--soft);vertical-align:bottom}thead th a{color:var(--fg)}
td.n,th.n{text-align:right;white-space:nowrap}
tbody th{font-weight:400}tbody th a{font-weight:600}
tr.depth-1 th,tr.depth-1 td{background:var(--soft);font-weight:700}tr.depth-2 th{padding-left:1.2em}tr.depth-3 th{padding-left:2.4em}tr.depth-4 th{padding-left:3.6em}
.en-name{display:block;color:var(--muted);font-size:.85em}
.pos{color:#1a6b36}.neg{color:#a3221b}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-all}
.figures{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0;padding:0;list-style:none}
.figures li{border:1px solid var(--line);padding:.5rem .9rem;min-width:9rem}
.figures .v{display:block;font-size:1.6rem;font-weight:700;font-variant-numeric:tabular-nums}
.figures .k{display:block;color:var(--muted);font-size:.9em}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
svg{max-width:100%;height:auto;display:block}svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
details{margin:.4rem 0 1rem}summary{cursor:pointer;color:var(--link)}
.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.9em}
.key{font-size:.9em;color:var(--muted);columns:2 22rem;margin:.2rem 0 1rem;padding:0;list-style:none}
tr[aria-current] th,tr[aria-current] td{font-weight:700}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:0 1.5rem;align-items:start}
.cols table{width:100%}
@media (max-width:40rem){section[data-type] .figures{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}section[data-type] .figures li{min-width:0}}
table.wide thead th{white-space:normal;min-width:5.5rem}table.wide tbody th{min-width:12rem}table.wide td:first-child{white-space:nowrap}
@media (max-width:40rem){table.cmp tbody th{min-width:7.5rem;max-width:9rem;position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 var(--line)}table.cmp thead th{min-width:4.5rem}}
.dagger{color:var(--warn-line);font-weight:700}
form.sign-in{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}form.sign-in input{width:min(100%,30rem)}
form.compare{flex-direction:column;align-items:stretch}form.compare .pick{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem}form.compare select{max-width:100%}
body.embed main{padding:.5rem}body.embed .notice{font-size:.85em;padding:.3rem .6rem;margin:.4rem 0}p.source{font-size:.9em}
pre.embed{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);border:1px solid var(--line);padding:.5rem;font-size:.85em}pre.embed code{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
@media print{
  .skip,header nav,form.filters,details,.noprint{display:none}
  body{font-size:11pt}a{color:inherit;text-decoration:none}
  .scroll{overflow:visible}table{page-break-inside:auto}tr{page-break-inside:avoid}
  .notice{border-width:1px}
}
${MAP_CSS}${PROFILE_CSS}${WORKSPACE_CSS}`;
