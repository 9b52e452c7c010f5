// The secretariat screens' words in both languages (Vietnamese first, exact with diacritics).
import type { Lang } from '../i18n.js';

const vi = {
  newCycle: 'Mở kỳ đánh giá', newCycleLead: 'Mở kỳ đánh giá mới cho một năm và một loại đơn vị, với phương pháp đánh giá đã lưu.',
  year: 'Năm', unitType: 'Loại đơn vị', methodology: 'Phương pháp đánh giá', version: 'phiên bản',
  open: 'Mở kỳ', opened: 'Đã mở kỳ đánh giá.',
  cycleTitle: (year: number, type: string) => `Kỳ đánh giá ${year} · ${type}`,
  phaseNow: 'Giai đoạn hiện tại', revision: 'Lần công bố gần nhất', none: 'chưa công bố',
  moves: 'Chuyển giai đoạn', noMove: 'Vai trò của bạn không chuyển được kỳ này sang giai đoạn khác lúc này.',
  moveTo: { appraisal: 'Chuyển sang thẩm định', review: 'Chuyển sang rà soát', published: 'Công bố', correction: 'Mở đính chính' } as Record<string, string>,
  moved: { appraisal: 'Kỳ đánh giá đã chuyển sang thẩm định.', review: 'Kỳ đánh giá đã chuyển sang rà soát.', published: 'Đã công bố.', correction: 'Đã mở đính chính.' } as Record<string, string>,
  decisionNumber: 'Số quyết định', decisionNumberHint: 'Ví dụ: 268/QĐ-BNV',
  decisionDate: 'Ngày ký quyết định', reason: 'Lý do đính chính',
  review: 'Xem trước kết quả và thay đổi', reviewTitle: (year: number, type: string) => `Rà soát kỳ ${year} · ${type}`,
  reviewLead: 'Kết quả dưới đây được tính từ dữ liệu hiện tại, đúng như trang xếp hạng công khai sẽ hiển thị sau khi công bố.',
  notInReview: 'Kỳ đánh giá không ở giai đoạn rà soát hay đính chính: chưa có gì để xem trước.',
  draftCaption: (n: number) => `Kết quả dự kiến: ${n} đơn vị được xếp hạng`,
  diff: 'Thay đổi so với lần công bố gần nhất', diffAgainst: (r: number) => `So với lần công bố ${r}.`,
  firstPublication: 'Đây sẽ là lần công bố đầu tiên của kỳ: chưa có lần công bố trước để so sánh.',
  noChange: 'Không có thay đổi nào so với lần công bố gần nhất.',
  unitChanges: 'Chỉ số và thứ hạng thay đổi', scoreChanges: 'Điểm thay đổi',
  unit: 'Đơn vị', indicator: 'Tiêu chí thành phần', source: 'Nguồn', before: 'Trước', after: 'Sau', index: 'Chỉ số', rank: 'Thứ hạng', group: 'Nhóm',
  errorsTitle: 'Chưa lưu được: hãy sửa các lỗi dưới đây.', refused: 'Không thực hiện được',
  forbidden: 'Vai trò của bạn không được làm việc này.', notFound: 'Không có kỳ đánh giá này.',
  backToCycle: 'Về trang kỳ đánh giá',
  work: 'Công việc của kỳ', workLinks: { selfAssessment: 'Phiếu tự đánh giá của các đơn vị', appraisal: 'Thẩm định', upload: 'Tải điểm lên (CSV)' } as Record<string, string>,
};

export type SecretariatLabels = typeof vi;

const en: SecretariatLabels = {
  newCycle: 'Open a cycle', newCycleLead: 'Open a new cycle for a year and a unit type, with one of the stored methodologies.',
  year: 'Year', unitType: 'Unit type', methodology: 'Methodology', version: 'version',
  open: 'Open the cycle', opened: 'The cycle is open.',
  cycleTitle: (year, type) => `Cycle ${year} · ${type}`,
  phaseNow: 'Phase now', revision: 'Latest revision', none: 'not published',
  moves: 'Move to the next phase', noMove: 'Your role cannot move this cycle to another phase now.',
  moveTo: { appraisal: 'Move to appraisal', review: 'Move to review', published: 'Publish', correction: 'Open a correction' },
  moved: { appraisal: 'The cycle moved to appraisal.', review: 'The cycle moved to review.', published: 'Published.', correction: 'A correction is open.' },
  decisionNumber: 'Decision number', decisionNumberHint: 'For example: 268/QĐ-BNV',
  decisionDate: 'Date of the decision', reason: 'Reason for the correction',
  review: 'Preview the results and changes', reviewTitle: (year, type) => `Review of the ${year} cycle · ${type}`,
  reviewLead: 'The results below are computed from the data as it is now, exactly as the public ranking will show them once published.',
  notInReview: 'The cycle is neither in review nor in correction: there is nothing to preview yet.',
  draftCaption: (n) => `Results to be published: ${n} units ranked`,
  diff: 'Changes since the latest publication', diffAgainst: (r) => `Against revision ${r}.`,
  firstPublication: 'This will be the cycle\'s first publication: there is no earlier one to compare with.',
  noChange: 'Nothing changed since the latest publication.',
  unitChanges: 'Index and rank changes', scoreChanges: 'Score changes',
  unit: 'Unit', indicator: 'Sub-criterion', source: 'Source', before: 'Before', after: 'After', index: 'Index', rank: 'Rank', group: 'Group',
  errorsTitle: 'Not saved: correct the errors below.', refused: 'Not done',
  forbidden: 'Your role may not do this.', notFound: 'There is no such cycle.',
  backToCycle: 'Back to the cycle',
  work: 'This cycle\'s work', workLinks: { selfAssessment: 'The units\' self-assessment forms', appraisal: 'Appraisal', upload: 'Upload scores (CSV)' },
};

export const SECRETARIAT_LABELS: Record<Lang, SecretariatLabels> = { vi, en };
