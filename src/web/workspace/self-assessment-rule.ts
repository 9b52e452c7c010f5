// A scoring rule in words, in the reader's language: what to enter and how it becomes points.
// Read from the compiled methodology (the same rule the engine applies), never restated by hand.
import type { ScoringRule } from '../../engine/index.js';
import type { Lang } from '../i18n.js';

const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

/** A rule's parameter as the reader writes numbers (0,5 in Vietnamese), without trailing zeros. */
export const plain = (lang: Lang, x: number) => new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 6 }).format(x);
const percent = (lang: Lang, share: number) => `${plain(lang, share * 100)}%`;

/** `max` as the reader writes it; `maxValue` for the points a band's share earns. */
type Words<K extends ScoringRule['type']> = (rule: Extract<ScoringRule, { type: K }>, max: string, lang: Lang, maxValue: number) => string;

const WORDS: { [K in ScoringRule['type']]: Words<K> } = {
  points: (_r, max, lang) => (lang === 'vi'
    ? `Chấm điểm trực tiếp: nhập số điểm đạt được, từ 0 đến ${max}.`
    : `Points: enter the points earned, from 0 to ${max}.`),
  binary: (_r, max, lang) => (lang === 'vi'
    ? `Đạt hoặc không đạt: đã thực hiện được ${max} điểm, chưa thực hiện được 0 điểm.`
    : `Done or not done: done earns ${max} points, not done 0.`),
  bands: (r, _max, lang, maxValue) => {
    const [low, high] = (r.range ?? [0, 100]).map((x) => plain(lang, x));
    const band = (b: (typeof r.bands)[number]) => {
      const points = b.points !== undefined ? plain(lang, b.points) : plain(lang, b.share! * maxValue);
      return lang === 'vi' ? `từ ${plain(lang, b.min)} trở lên: ${points} điểm` : `${plain(lang, b.min)} or more: ${points} points`;
    };
    return lang === 'vi'
      ? `Theo mức: nhập giá trị từ ${low} đến ${high}; ${r.bands.map(band).join('; ')}; thấp hơn: 0 điểm.`
      : `By bands: enter a value from ${low} to ${high}; ${r.bands.map(band).join('; ')}; below: 0 points.`;
  },
  proportional: (r, max, lang) => {
    const target = plain(lang, r.target);
    return lang === 'vi'
      ? `Theo tỷ lệ đạt được so với chỉ tiêu ${target}: điểm = ${max} × giá trị đạt được / ${target}; ${r.cap ? `vượt chỉ tiêu được ${max} điểm` : 'không nhập giá trị vượt chỉ tiêu'}.`
      : `Achieved against the target ${target}: points = ${max} × achieved / ${target}; ${r.cap ? `above the target earns ${max}` : 'a value above the target is not accepted'}.`;
  },
  linear: (r, max, lang) => {
    const [worst, best] = [plain(lang, r.worst), plain(lang, r.best)];
    return lang === 'vi'
      ? `Giữa hai mốc: ${worst} được 0 điểm, ${best} được ${max} điểm, ở giữa theo tỷ lệ; ${r.cap ? 'ngoài hai mốc tính như mốc gần nhất' : 'giá trị phải nằm giữa hai mốc'}.`
      : `Between goal-posts: ${worst} earns 0, ${best} earns ${max}, in proportion between; ${r.cap ? 'beyond them counts as the nearest' : 'the value must lie between them'}.`;
  },
  survey: (r, max, lang) => {
    const options = r.options.map((o) => `${o.code} = ${percent(lang, o.value)}`).join(', ');
    return lang === 'vi'
      ? `Khảo sát: nhập số phiếu trả lời theo từng phương án; điểm = ${max} × bình quân có trọng số của các phương án (${options}).`
      : `Survey: enter the number of answers for each option; points = ${max} × the weighted mean of the options (${options}).`;
  },
};

/** The rule in words; null rule (weighted mode): the raw value the methodology normalises. */
export function ruleInWords(rule: ScoringRule | null, max: number, lang: Lang): string {
  if (!rule) return lang === 'vi' ? 'Nhập giá trị của chỉ số (một số).' : 'Enter the indicator\'s value (a number).';
  return (WORDS[rule.type] as Words<typeof rule.type>)(rule as never, plain(lang, max), lang, max);
}
