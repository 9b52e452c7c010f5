// How a change in places was measured, said in words on every page that shows one: against the
// previous rank (same units), against the previous cycle re-ranked on the current units (after
// mergers), or not at all. The JSON's change.rankRule, in the reader's language.
import type { Change, RankRule } from '../engine/index.js';
import { int, type Lang } from './i18n.js';

export const RANK_RULE_LABELS = {
  vi: {
    places: 'Thay đổi thứ hạng',
    rule: {
      'same-units': (prev: string) => `So với thứ hạng ${prev} (cùng các đơn vị được xếp hạng).`,
      'restated-on-current-units': (prev: string, of: string) => `Tập đơn vị đã thay đổi: thứ hạng ${prev} được tính lại trên ${of} đơn vị hiện nay (đơn vị hợp nhất lấy trung bình các đơn vị tiền thân) và thay đổi bậc được đo so với thứ hạng tính lại đó.`,
      'not-restatable': (prev: string) => `Không so sánh thứ hạng: tập đơn vị đã thay đổi và không thể tính lại thứ hạng ${prev} cho mọi đơn vị.`,
    } satisfies Record<RankRule, (prev: string, of: string) => string>,
    prev: (year: number | null) => (year === null ? 'kỳ trước' : `năm ${year}`),
    restated: (year: string, rank: string, of: string) => `hạng ${year} tính lại: ${rank}/${of}`,
    previous: (year: string) => `năm ${year}`,
    points: 'điểm', placesUnit: 'bậc',
  },
  en: {
    places: 'Change in rank',
    rule: {
      'same-units': (prev: string) => `Against ${prev} rank (the same ranked units).`,
      'restated-on-current-units': (prev: string, of: string) => `The set of units changed: ${prev} cycle is re-ranked on today's ${of} units (a merged unit by the mean of its predecessors) and places are measured against that restated rank.`,
      'not-restatable': (prev: string) => `No change in rank: the set of units changed and ${prev} ranks cannot be restated for every unit.`,
    } satisfies Record<RankRule, (prev: string, of: string) => string>,
    prev: (year: number | null) => (year === null ? 'the previous' : `the ${year}`),
    restated: (year: string, rank: string, of: string) => `${year} rank restated: ${rank} of ${of}`,
    previous: (year: string) => `since ${year}`,
    points: 'points', placesUnit: 'places',
  },
};

/** The rule of a change in places, as a sentence (the previous year named when known); null without a change. */
export function rankRuleText(lang: Lang, change: Pick<Change, 'rankRule' | 'restatedOf'> | null | undefined, previousYear: number | null): string | null {
  if (!change) return null;
  const r = RANK_RULE_LABELS[lang];
  return r.rule[change.rankRule](r.prev(previousYear), int(lang, change.restatedOf));
}

/** Under a table of changes: the rule its places column follows (the same for every row of a cycle). */
export function RankRuleNote({ lang, rows, previousYear, id }: { lang: Lang; rows: { change: Change | null }[]; previousYear: number | null; id?: string }) {
  const text = rankRuleText(lang, rows.find((r) => r.change)?.change, previousYear);
  return text ? <p id={id} data-rank-rule={rows.find((r) => r.change)!.change!.rankRule}>{text}</p> : null;
}
