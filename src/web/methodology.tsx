// The methodology of a publication: its legal basis, the rules in words, where the points come
// from (appraisal, survey, self-assessment), and the whole tree with maxima, every provisional
// number flagged. Read from the exact methodology version the publication was computed with.
import type { CompiledMethodology, CompiledNode } from '../engine/index.js';
import type { Publication } from './data.js';
import { date, int, LABELS, nameIn, num, type Lang } from './i18n.js';
import { PAGE_LABELS } from './i18n-pages.js';
import { Notices, Page, Revision } from './layout.js';
import { methodologyPath, otherLanguage, rankingPath } from './paths.js';
import { withQuery } from './table.js';

export interface MethodologyProps { lang: Lang; p: Publication; m: CompiledMethodology }

export function MethodologyPage({ lang, p, m }: MethodologyProps) {
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const { year, unitType } = p.report.cycle;
  const self = withQuery(methodologyPath(lang, year, unitType), { revision: p.pinned });
  const title = w.methodologyTitle(year, t.unitType[unitType] ?? unitType);
  return (
    <Page lang={lang} title={title} alternate={otherLanguage(self, lang)}>
      <p class="noprint"><a href={withQuery(rankingPath(lang, year, unitType), { revision: p.pinned })}>{`← ${t.backToRanking} ${year}`}</a></p>
      <h1>{title}</h1>
      <p class="sub">{m.methodology.name ? nameIn(lang, m.methodology.name) : m.methodology.id}</p>
      <Notices lang={lang} served={p.served} />
      <p>{w.methodologyLead(m.methodology.id, m.methodology.version)}</p>
      <LegalBasis lang={lang} m={m} />
      <Rules lang={lang} p={p} m={m} />
      <Sources lang={lang} p={p} m={m} />
      <Tree lang={lang} p={p} m={m} />
      {m.methodology.notes && (
        <details>
          <summary>{w.notesTitle}</summary>
          <p lang="en" class="notes">{m.methodology.notes}</p>
        </details>
      )}
      <Revision lang={lang} p={p} latestHref={methodologyPath(lang, year, unitType)} />
    </Page>
  );
}

function LegalBasis({ lang, m }: { lang: Lang; m: CompiledMethodology }) {
  const w = PAGE_LABELS[lang];
  if (m.methodology.legalBasis.length === 0) return null;
  return (
    <section aria-labelledby="legal-h">
      <h2 id="legal-h">{w.legalBasis}</h2>
      <table id="legal-basis">
        <thead><tr><th scope="col">{w.document}</th><th scope="col">{w.signed}</th><th scope="col">{w.titleCol}</th></tr></thead>
        <tbody>
          {m.methodology.legalBasis.map((d) => (
            <tr><th scope="row" lang="vi">{d.document.normalize('NFC')}</th><td>{d.date ? <time datetime={d.date}>{date(lang, d.date)}</time> : '—'}</td><td lang="vi">{d.title?.normalize('NFC') ?? '—'}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Rules({ lang, p, m }: MethodologyProps) {
  const w = PAGE_LABELS[lang];
  const root = m.nodes[0];
  const groups = [...m.groups].sort((a, b) => b.min - a.min);
  const points = m.methodology.mode === 'points';
  return (
    <section aria-labelledby="rules-h">
      <h2 id="rules-h">{w.rulesTitle}</h2>
      <ul id="rules">
        <li>{points ? w.modePoints(num(lang, root.max, p.rounding)) : w.modeWeighted}</li>
        <li>{w.missing[m.methodology.missing] ?? m.methodology.missing}</li>
        <li>{w.rankingRule}</li>
        <li>{`${w.groupsRule}: `}{groups.map((g, i) => (i === groups.length - 1 ? w.groupBelow(g.code, num(lang, groups[i - 1]?.min ?? g.min, 0)) : w.groupFrom(g.code, num(lang, g.min, 0), i > 0 ? num(lang, groups[i - 1].min, 0) : undefined))).join('; ')}</li>
        {leafRules(m).length === 1 && <li>{w.leafRule(w.ruleWords[leafRules(m)[0]] ?? leafRules(m)[0])}</li>}
        <li>{w.roundingRule(p.rounding)}</li>
      </ul>
    </section>
  );
}

/** The scoring rules the leaves use: one is said once, in words; several get a column in the tree. */
const leafRules = (m: CompiledMethodology) => [...new Set(m.leaves.map((i) => m.nodes[i].rule?.type).filter((x): x is NonNullable<typeof x> => x !== undefined))];

/** A leaf's source: the first it names (the one that takes precedence), or "—". */
const sourceOf = (n: CompiledNode) => n.sources[0] ?? null;

function Sources({ lang, p, m }: MethodologyProps) {
  const w = PAGE_LABELS[lang];
  const totals = new Map<string, { leaves: number; max: number }>();
  for (const i of m.leaves) {
    const s = sourceOf(m.nodes[i]) ?? '—';
    const x = totals.get(s) ?? { leaves: 0, max: 0 };
    totals.set(s, { leaves: x.leaves + 1, max: x.max + (Number.isFinite(m.nodes[i].max) ? m.nodes[i].max : 0) });
  }
  if (m.methodology.mode !== 'points' || totals.size === 0) return null;
  const total = m.nodes[0].max;
  return (
    <section aria-labelledby="sources-h">
      <h2 id="sources-h">{w.sourcesTitle}</h2>
      <div class="scroll" role="region" aria-labelledby="sources-cap" tabindex={0}>
      <table id="sources" class="wide">
        <caption id="sources-cap">{w.sourcesCaption}</caption>
        <thead><tr><th scope="col">{w.source}</th><th scope="col" class="n">{w.leaves}</th><th scope="col" class="n">{LABELS[lang].max}</th><th scope="col" class="n">{w.share}</th></tr></thead>
        <tbody>
          {[...totals].sort(([, a], [, b]) => b.max - a.max).map(([s, x]) => (
            <tr data-source={s}>
              <th scope="row">{w.sourceName[s] ?? s}</th><td class="n">{int(lang, x.leaves)}</td>
              <td class="n" data-col="max">{num(lang, x.max, p.rounding)}</td><td class="n">{num(lang, (100 * x.max) / total, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}

/** Every node, one row group per domain; a provisional maximum carries a dagger (and the row data-provisional). */
function Tree({ lang, p, m }: MethodologyProps) {
  const t = LABELS[lang], w = PAGE_LABELS[lang];
  const provisional = m.nodes.filter((n) => n.provenance?.status === 'provisional').length;
  const ruleColumn = leafRules(m).length > 1;
  const descendants = (i: number): number[] => m.nodes[i].children.flatMap((c) => [c, ...descendants(c)]);
  const row = (i: number) => {
    const n = m.nodes[i];
    const flagged = n.provenance?.status === 'provisional';
    const leaf = n.children.length === 0;
    const source = sourceOf(n);
    return (
      <tr class={`depth-${Math.min(n.depth, 4)}`} data-node={n.code} data-provisional={flagged ? 'true' : undefined}>
        <td>{n.code}</td>
        <th scope="row">{nameIn(lang, n.name, n.code)}</th>
        <td class="n" data-col="max">{num(lang, Number.isFinite(n.max) ? n.max : null, p.rounding)}{flagged && <abbr class="dagger" title={w.provisionalWord}> †</abbr>}</td>
        <td data-col="source">{leaf && source ? <abbr title={w.sourceName[source] ?? source}>{w.sourceShort[source] ?? source}</abbr> : ''}</td>
        {ruleColumn && <td data-col="rule">{leaf && n.rule ? (w.ruleWords[n.rule.type] ?? n.rule.type) : ''}</td>}
      </tr>
    );
  };
  return (
    <section aria-labelledby="tree-h">
      <h2 id="tree-h">{w.treeTitle}</h2>
      {provisional > 0 && <p data-provisional-count={String(provisional)}>{w.provisionalCount(provisional, m.nodes.length)}</p>}
      <div class="scroll" role="region" aria-labelledby="tree-cap" tabindex={0}>
        <table id="tree" class="wide">
          <caption id="tree-cap">{w.treeCaption}</caption>
          <thead><tr>
            <th scope="col">{t.code}</th><th scope="col">{t.name}</th><th scope="col" class="n">{t.max}</th>
            <th scope="col">{w.source}</th>{ruleColumn && <th scope="col">{w.ruleCol}</th>}
          </tr></thead>
          <tbody class="root">{row(0)}</tbody>
          {m.nodes.filter((n) => n.depth === 1).map((d) => <tbody>{[d.index, ...descendants(d.index)].map(row)}</tbody>)}
        </table>
      </div>
      {provisional > 0 && <p>{w.provisionalDagger}</p>}
    </section>
  );
}
