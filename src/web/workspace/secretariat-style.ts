// The secretariat screens' styles, added to the site's one stylesheet (src/web/style.ts, hashed in the CSP).
export const SECRETARIAT_CSS = `
form.move{border:1px solid var(--line);padding:.4rem .9rem;margin:1rem 0;max-width:40rem}
form.work div.field{display:flex;flex-direction:column;gap:.2rem;margin:.6rem 0}
form.work .hint{color:var(--muted);font-size:.9em}
[data-diff] td[data-col^=index-],[data-diff] td[data-col^=rank-]{font-variant-numeric:tabular-nums}
@media print{form.move{display:none}}
`;
