// The only stylesheet: inline, system fonts, no external resource. Colours are dark on light
// (at least 4.5:1, most above 7:1); print drops the navigation chrome and keeps tables whole.
export const STYLE = `
:root{--fg:#1a1a1a;--muted:#4d4d4d;--line:#c8c8c8;--soft:#f4f5f7;--link:#0b57d0;--req:#8a1c1c}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:#fff}
a{color:var(--link)}a:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;font-size:.9em}
pre{background:var(--soft);border:1px solid var(--line);padding:.6em .8em;overflow-x:auto;white-space:pre-wrap;word-break:break-word;margin:.3em 0}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em 1em}.skip:focus{left:1em}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.5rem;border-bottom:2px solid var(--fg)}
h1{margin:.2em 0}h2{margin-top:2.5rem;border-bottom:1px solid var(--line)}h3{margin-top:2rem}
h4{margin:1.2rem 0 .4rem}h5,h6{margin:.9rem 0 .3rem;font-size:1rem}
.version{font-size:.55em;font-weight:600;color:var(--muted);margin-left:.4em}
nav.toc{max-width:72rem;margin:0 auto;padding:0 1.25rem}
nav.toc ol{padding-left:1.2em}nav.toc ol ol{columns:2 18rem;font-size:.92em}
.op+.op{border-top:1px solid var(--line)}
.method{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;padding:0 .35em;font-size:.8em;font-weight:700;border:1px solid currentColor}
.m-get{color:#0a4473;background:#e6f0fa}.m-post{color:#17521b;background:#e8f5e9}.m-put,.m-patch{color:#6b3f00;background:#fff3e0}
.m-delete{color:#8a1c1c;background:#fdecea}.m-head,.m-options,.m-trace{color:#3b3b3b;background:#eeeeee}
.path{font-size:1em;word-break:break-all}.summary{font-weight:600;margin:.3em 0}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.5em 0}dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
table{border-collapse:collapse;width:100%;margin:.4em 0 .8em;font-size:.95em}
caption{text-align:left;font-weight:600;padding:.2em 0}
th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
thead th{background:var(--soft)}tbody th{font-weight:400;white-space:nowrap}
td table{font-size:.95em}td>p,th>p{margin:.2em 0}
.req{color:var(--req);font-size:.8em;font-weight:700;text-transform:uppercase;letter-spacing:.02em}
.dep{color:var(--muted);font-size:.8em}
.status{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:700;padding:0 .3em;border-radius:3px;border:1px solid currentColor}
.s2{color:#17521b}.s3{color:#0a4473}.s4{color:#6b3f00}.s5,.sd{color:#8a1c1c}
.response{margin-left:.2em;padding-left:.8em;border-left:3px solid var(--line)}
.type{margin:.2em 0}.k{color:var(--muted);font-weight:600}.note{color:var(--muted);font-style:italic}
ul.facts{margin:.2em 0;padding-left:1.1em;font-size:.92em}ol.variants{padding-left:1.3em}
figure.example{margin:.4em 0}figcaption{color:var(--muted);font-size:.9em}
.usedby,.also{font-size:.92em;color:var(--muted)}
footer{margin-top:3rem;padding:1rem 1.25rem 2rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9em}
@media print{
  body{font-size:11pt}.skip{display:none}nav.toc ol ol{columns:1}a{color:inherit;text-decoration:none}
  header,main,footer{max-width:none;padding:0}
  h2,h3,h4,h5,h6{break-after:avoid}tr,figure,pre{break-inside:avoid}
  .op,.schema{break-inside:auto}
  pre{white-space:pre-wrap}
}
`.replace(/\n/g, '');
