// The pages' two languages: every word a page prints, and numbers and dates in the reader's
// format (91,43 on Vietnamese pages, 91.43 on English ones) at the methodology's rounding.
import { rounded } from '../http/csv.js';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const isLang = (x: string): x is Lang => (LANGS as readonly string[]).includes(x);

const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, decimals: number, signed: boolean): Intl.NumberFormat {
  const key = `${lang}:${decimals}:${signed}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: decimals, maximumFractionDigits: decimals, signDisplay: signed ? 'exceptZero' : 'auto' });
    formats.set(key, f);
  }
  return f;
}

/**
 * A number as the reader's language writes it. Rounded first by the CSV's rule (half away from
 * zero on the decimal the JSON shows), so a page, the CSV and the JSON agree digit for digit; Intl
 * only lays the digits out (the rounded value is exact at that precision, so it rounds nothing).
 */
export function num(lang: Lang, x: number | null | undefined, decimals: number, options: { signed?: boolean } = {}): string {
  const text = rounded(x, decimals);
  return text === '' ? '—' : numberFormat(lang, decimals, options.signed ?? false).format(Number(text));
}

/** A whole number (ranks, counts). */
export const int = (lang: Lang, x: number | null | undefined, signed = false) => num(lang, x, 0, { signed });

/** A date of publication in the reader's language, in Vietnam's time zone. */
export function date(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
}

/**
 * A decision's date as each language writes it in a citation: 28/3/2025 in Vietnamese (the way
 * decisions are cited: "ngày 28/3/2025"), 28 March 2025 in English. A calendar date: no time zone.
 */
export function decisionDate(lang: Lang, isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return lang === 'vi' ? `${d}/${m}/${y}` : new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** A name in the reader's language (Vietnamese names are the official ones and always exist). */
export const nameIn = (lang: Lang, name: { vi: string; en: string } | undefined, fallback = ''): string =>
  (name ? (lang === 'en' && name.en ? name.en : name.vi) : fallback).normalize('NFC');

const vi = {
  site: 'Chỉ số cải cách hành chính (PAR INDEX)',
  skip: 'Bỏ qua đến nội dung chính',
  otherLang: 'English', otherLangName: 'English version',
  unitType: { province: 'tỉnh, thành phố', ministry: 'bộ, cơ quan ngang bộ' } as Record<string, string>,
  unitTypes: { province: 'Tỉnh, thành phố', ministry: 'Bộ, cơ quan ngang bộ' } as Record<string, string>,
  rankingTitle: (year: number, type: string) => `Xếp hạng Chỉ số CCHC ${year}: ${type}`,
  profileTitle: (name: string, year: number) => `${name}: Chỉ số CCHC ${year}`,
  synthetic: 'DỮ LIỆU MINH HỌA TỔNG HỢP: được sinh từ một hạt giống cố định, không phải điểm Chỉ số CCHC thật.',
  provisional: (n: number) => `Phương pháp đánh giá có ${n} số liệu tạm thời (điểm tối đa, tên tiêu chí) chưa được đối chiếu với văn bản chính thức.`,
  served: 'Bản công bố', revision: 'Lần công bố', publishedAt: 'Ngày công bố', contentHash: 'Mã băm nội dung (SHA-256)', reason: 'Ghi chú',
  decisionTerm: 'Quyết định', decision: (number: string, date: string) => `Quyết định ${number} ngày ${date}`,
  latest: 'Xem bản công bố mới nhất', pinned: (n: number) => `Đây là lần công bố số ${n}, cố định.`,
  methodology: 'Phương pháp',
  rank: 'Hạng', unit: 'Đơn vị', index: 'Chỉ số', group: 'Nhóm', region: 'Vùng',
  change: 'Thay đổi', changeLong: 'thay đổi so với kỳ trước', changePoints: 'điểm', changePlaces: 'bậc',
  domainPercent: '% điểm tối đa', all: 'Tất cả',
  filters: 'Lọc', apply: 'Áp dụng', reset: 'Bỏ lọc',
  rankedFilter: 'Xếp hạng', rankedOnly: 'Chỉ đơn vị được xếp hạng', unrankedOnly: 'Chỉ đơn vị không xếp hạng',
  tableCaption: (year: number, n: number) => `Kết quả Chỉ số CCHC ${year}: ${n} đơn vị được xếp hạng`,
  sortedBy: 'sắp xếp theo', sortHint: 'Bấm vào tiêu đề cột để sắp xếp.',
  unrankedTitle: 'Đơn vị được đánh giá nhưng không xếp hạng',
  unrankedCaption: (n: number) => `${n} đơn vị được đánh giá, không xếp hạng`,
  noRows: 'Không có đơn vị nào phù hợp với bộ lọc.',
  chartTitle: (year: number) => `Chỉ số CCHC ${year} theo thứ hạng`,
  chartDesc: (n: number, top: string, bottom: string) => `Biểu đồ thanh ngang của ${n} đơn vị được xếp hạng, từ cao đến thấp: cao nhất ${top}, thấp nhất ${bottom}. Thang điểm từ 0 đến 100; màu theo nhóm.`,
  chartData: 'Số liệu của biểu đồ',
  regionalMeans: 'Điểm trung bình theo vùng', regionalCaption: 'Chỉ số trung bình và số đơn vị của mỗi vùng',
  units: 'Số đơn vị', mean: 'Trung bình', nationalMean: 'Trung bình cả nước', regionalMean: 'Trung bình vùng',
  yearsTitle: 'Các năm đã công bố',
  rankOf: (rank: string, of: string) => `${rank}/${of}`,
  rankInRegion: 'Hạng trong vùng', keyFigures: 'Số liệu chính',
  domains: 'Các lĩnh vực', domainsCaption: 'Điểm từng lĩnh vực so với điểm tối đa và điểm trung bình',
  domainChartTitle: (name: string) => `${name}: điểm từng lĩnh vực (% điểm tối đa)`,
  domainChartDesc: 'Mỗi thanh là điểm của đơn vị theo % điểm tối đa của lĩnh vực; vạch đen là trung bình cả nước, vạch thoi là trung bình vùng.',
  domain: 'Lĩnh vực', points: 'Điểm', max: 'Tối đa', lost: 'Điểm bị trừ', percentOfMax: '% tối đa', domainRank: 'Hạng lĩnh vực',
  drillTitle: 'Chi tiết theo lĩnh vực, tiêu chí và tiêu chí thành phần',
  drillCaption: 'Điểm tối đa, điểm đạt được và điểm bị trừ của mỗi tiêu chí',
  code: 'Mã', name: 'Tên',
  provisionalMark: 'Điểm tối đa tạm thời (chưa đối chiếu văn bản chính thức)',
  allProvisional: 'Mọi điểm tối đa dưới cấp chỉ số trong bảng này là tạm thời (chưa đối chiếu văn bản chính thức).',
  lostTitle: 'Đơn vị bị trừ điểm ở đâu',
  lostCaption: (n: number) => `${n} tiêu chí thành phần bị trừ nhiều điểm nhất`,
  noneLost: 'Đơn vị không bị trừ điểm ở tiêu chí thành phần nào.',
  historyTitle: 'Qua các năm',
  historyCaption: 'Chỉ số, thứ hạng và nhóm qua các kỳ đã công bố',
  year: 'Năm', rule: 'Cách so sánh',
  rules: {
    'same-unit': 'cùng đơn vị',
    'mean-of-predecessors': 'trung bình các đơn vị tiền thân',
    'weighted-mean-of-predecessors': 'trung bình có trọng số các đơn vị tiền thân',
    'no-lineage': 'không có đơn vị tiền thân để so sánh',
  } as Record<string, string>,
  lineageNote: 'Quy tắc: một đơn vị so với chính nó ở các năm trước; đơn vị hợp nhất so với trung bình (hoặc trung bình có trọng số) của các đơn vị tiền thân. Năm trước khi hợp nhất chỉ có điểm (không có thứ hạng riêng); thay đổi bậc được đo so với thứ hạng năm trước tính lại trên các đơn vị hiện nay.',
  current: '(năm đang xem)',
  lineageMark: 'So với điểm trung bình của các đơn vị tiền thân (đơn vị hợp nhất); thứ hạng năm trước được tính lại trên các đơn vị hiện nay.',
  backToRanking: 'Bảng xếp hạng',
  notFound: 'Không tìm thấy trang',
  badRequest: 'Yêu cầu không hợp lệ',
  error: 'Đã xảy ra lỗi',
  apiLink: 'Dữ liệu dạng JSON', csvLink: 'Tải CSV',
  footer: 'Trang được tạo từ dữ liệu công bố của dịch vụ; cùng số liệu có tại API (/v1) và tài liệu API (/docs).',
  groupLegend: 'Nhóm',
  unranked: 'không xếp hạng',
};

export type Labels = typeof vi;

const en: Labels = {
  site: 'PAR INDEX: Public Administration Reform Index',
  skip: 'Skip to main content',
  otherLang: 'Tiếng Việt', otherLangName: 'Phiên bản tiếng Việt',
  unitType: { province: 'provinces', ministry: 'ministries' },
  unitTypes: { province: 'Provinces', ministry: 'Ministries' },
  rankingTitle: (year, type) => `PAR INDEX ${year} ranking: ${type}`,
  profileTitle: (name, year) => `${name}: PAR INDEX ${year}`,
  synthetic: 'SYNTHETIC demo data: generated from a fixed seed, not real PAR INDEX scores.',
  provisional: (n) => `The methodology has ${n} provisional numbers (maxima, criterion names) not yet checked against the official documents.`,
  served: 'Publication served', revision: 'Revision', publishedAt: 'Published', contentHash: 'Content hash (SHA-256)', reason: 'Note',
  decisionTerm: 'Decision', decision: (number: string, date: string) => `Decision ${number} of ${date}`,
  latest: 'See the latest publication', pinned: (n) => `This is revision ${n}, pinned.`,
  methodology: 'Methodology',
  rank: 'Rank', unit: 'Unit', index: 'Index', group: 'Group', region: 'Region',
  change: 'Change', changeLong: 'change since the previous cycle', changePoints: 'points', changePlaces: 'places',
  domainPercent: '% of maximum', all: 'All',
  filters: 'Filter', apply: 'Apply', reset: 'Clear filters',
  rankedFilter: 'Ranking', rankedOnly: 'Ranked units only', unrankedOnly: 'Unranked units only',
  tableCaption: (year, n) => `PAR INDEX ${year} results: ${n} ranked units`,
  sortedBy: 'sorted by', sortHint: 'Select a column heading to sort.',
  unrankedTitle: 'Units assessed but not ranked',
  unrankedCaption: (n) => `${n} units assessed, not ranked`,
  noRows: 'No unit matches the filters.',
  chartTitle: (year) => `PAR INDEX ${year} by rank`,
  chartDesc: (n, top, bottom) => `Horizontal bar chart of ${n} ranked units, highest first: highest ${top}, lowest ${bottom}. Scale 0 to 100; colour by group.`,
  chartData: 'Data of the chart',
  regionalMeans: 'Regional means', regionalCaption: 'Mean index and number of units of each region',
  units: 'Units', mean: 'Mean', nationalMean: 'National mean', regionalMean: 'Regional mean',
  yearsTitle: 'Published years',
  rankOf: (rank, of) => `${rank} of ${of}`,
  rankInRegion: 'Rank in region', keyFigures: 'Key figures',
  domains: 'Domains', domainsCaption: 'Each domain against its maximum and the means',
  domainChartTitle: (name) => `${name}: each domain (% of maximum)`,
  domainChartDesc: 'Each bar is the unit\'s points as % of the domain\'s maximum; the black line marks the national mean, the diamond the regional mean.',
  domain: 'Domain', points: 'Points', max: 'Maximum', lost: 'Points lost', percentOfMax: '% of max', domainRank: 'Domain rank',
  drillTitle: 'By domain, criterion and sub-criterion',
  drillCaption: 'Maximum, points earned and points lost on every criterion',
  code: 'Code', name: 'Name',
  provisionalMark: 'Provisional maximum (not yet checked against the official documents)',
  allProvisional: 'Every maximum in this table is provisional (not yet checked against the official documents).',
  lostTitle: 'Where the unit lost points',
  lostCaption: (n) => `The ${n} sub-criteria where the unit lost the most points`,
  noneLost: 'The unit lost no points on any sub-criterion.',
  historyTitle: 'Across the years',
  historyCaption: 'Index, rank and group in every published cycle',
  year: 'Year', rule: 'Compared as',
  rules: {
    'same-unit': 'same unit',
    'mean-of-predecessors': 'mean of the predecessor units',
    'weighted-mean-of-predecessors': 'weighted mean of the predecessor units',
    'no-lineage': 'no predecessor to compare with',
  },
  lineageNote: 'Rule: a unit compares with itself in earlier years; a merged unit with the mean (or weighted mean) of its predecessors. A year before a merger has points only (no rank of its own); places are measured against the previous year re-ranked on today\'s units.',
  current: '(this year)',
  lineageMark: 'Compared with the mean of the predecessor units (a merged unit); the previous rank is restated on today\'s units.',
  backToRanking: 'Ranking',
  notFound: 'Page not found',
  badRequest: 'Invalid request',
  error: 'Something went wrong',
  apiLink: 'The same data as JSON', csvLink: 'Download CSV',
  footer: 'Built from the service\'s published data; the same numbers are in the API (/v1) and its reference (/docs).',
  groupLegend: 'Group',
  unranked: 'not ranked',
};

export const LABELS: Record<Lang, Labels> = { vi, en };
