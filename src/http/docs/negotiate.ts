// Proactive negotiation (RFC 9110 §12.5.1) between the few media types a page offers.

/** The offered type the Accept header prefers (q-values, most specific range wins), or undefined (406). */
export function preferredType(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (!accept?.trim()) return offered[0];
  const ranges = accept.split(',').map(parseRange).filter((r) => r.type);
  let best: { type: string; q: number } | undefined;
  for (const type of offered) {
    const q = qualityOf(type, ranges);
    if (q > 0 && (!best || q > best.q)) best = { type, q };
  }
  return best?.type;
}

interface Range { type: string; q: number }

function parseRange(text: string): Range {
  const [type = '', ...params] = text.split(';').map((s) => s.trim().toLowerCase());
  const q = params.find((p) => p.startsWith('q='));
  const value = q ? Number(q.slice(2)) : 1;
  return { type, q: Number.isFinite(value) ? value : 0 };
}

/** The q of the most specific range matching the type: `text/html` over `text/*` over `*\/*`. */
function qualityOf(type: string, ranges: Range[]): number {
  const major = `${type.split('/')[0]}/*`;
  for (const candidate of [type, major, '*/*']) {
    const match = ranges.find((r) => r.type === candidate);
    if (match) return match.q;
  }
  return 0;
}
