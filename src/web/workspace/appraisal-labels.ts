// The appraisal screens' words in both languages (Vietnamese first, exact with diacritics).
import type { Lang } from '../i18n.js';

const vi = {
  progressTitle: (year: number, type: string) => `Thẩm định ${year}: ${type}`,
  progressLead: 'Cần thẩm định: mọi tiêu chí thành phần lấy điểm từ thẩm định (nguồn appraisal) theo phương pháp của kỳ, dù đơn vị đã tự đánh giá hay chưa: với các tiêu chí này chỉ điểm thẩm định được tính, điểm tự đánh giá là căn cứ để thẩm định. Tiêu chí lấy điểm từ điều tra xã hội học không thẩm định ở đây.',
  progressCaption: 'Mỗi đơn vị: số tiêu chí thành phần đã tự đánh giá, đã thẩm định trên tổng số cần thẩm định, và còn lại',
  summary: (done: string, units: string, left: string) => `${done}/${units} đơn vị đã thẩm định xong; còn ${left} tiêu chí thành phần chưa thẩm định.`,
  unit: 'Đơn vị', selfAssessed: 'Đã tự đánh giá', appraised: 'Đã thẩm định', awaiting: 'Đã tự đánh giá, chưa thẩm định', remaining: 'Chưa thẩm định',
  complete: 'Xong',
  unitTitle: (name: string, year: number) => `Thẩm định ${name}, kỳ ${year}`,
  unitLead: 'Mỗi tiêu chí thành phần: điểm đơn vị tự đánh giá với tài liệu kiểm chứng và ghi chú, bên cạnh điểm thẩm định. Chấp nhận một điểm, chấp nhận cả lĩnh vực (mọi tiêu chí đã tự đánh giá mà chưa thẩm định), hoặc nhập điểm khác kèm lý do. Mọi nút đều ghi cả những điểm bạn đã nhập trên trang; tất cả được ghi một lần, hoặc không ghi gì nếu có lỗi. Để trống ô điểm là chưa thẩm định (điểm đã ghi được giữ nguyên).',
  back: 'Tiến độ thẩm định các đơn vị',
  unitProgress: (appraised: string, total: string) => `Đã thẩm định ${appraised}/${total} tiêu chí thành phần.`,
  unappraisedTitle: 'Còn chưa thẩm định', noneUnappraised: 'Mọi tiêu chí thành phần đã được thẩm định.',
  subCriterion: 'Tiêu chí thành phần', max: 'Tối đa', self: 'Tự đánh giá', evidence: 'Tài liệu kiểm chứng', note: 'Ghi chú',
  appraisedValue: 'Điểm thẩm định', reason: 'Lý do điều chỉnh', action: 'Thao tác',
  notSelfAssessed: 'Chưa tự đánh giá', noData: 'Không có số liệu',
  accept: 'Chấp nhận', acceptDomain: (name: string) => `Chấp nhận cả lĩnh vực ${name}`,
  save: 'Ghi điểm thẩm định',
  valueOf: (code: string) => `Điểm thẩm định tiêu chí ${code}`, reasonOf: (code: string) => `Lý do điều chỉnh tiêu chí ${code}`,
  acceptOf: (code: string) => `Chấp nhận điểm tự đánh giá của tiêu chí ${code}`,
  states: { unassessed: 'Chưa tự đánh giá', awaiting: 'Chờ thẩm định', accepted: 'Đã chấp nhận', adjusted: 'Đã điều chỉnh', appraised: 'Đã thẩm định' } as Record<string, string>,
  written: (n: string, inserted: string, updated: string) => `Đã ghi ${n} điểm thẩm định (${inserted} mới, ${updated} sửa).`,
  nothingWritten: 'Không có gì thay đổi: các điểm gửi lên giống điểm đã lưu, hoặc không có điểm nào được nhập.',
  errorsTitle: (n: string) => `Chưa ghi gì: ${n} lỗi cần sửa. Các điểm bạn đã nhập vẫn được giữ trên trang.`,
  fieldMessage: { value: 'Điểm không hợp lệ', reason: 'Cần nêu lý do khi điểm thẩm định khác điểm tự đánh giá', other: 'Lỗi' } as Record<string, string>,
  readOnly: 'Chỉ xem',
  phaseReason: (phase: string, role: string) => role === 'appraiser'
    ? `Kỳ này đang ở giai đoạn «${phase}»: hội đồng thẩm định chỉ ghi điểm trong giai đoạn «Thẩm định».`
    : `Kỳ này đang ở giai đoạn «${phase}»: điểm đã khóa (Ban Thư ký mở đính chính để sửa điểm đã công bố).`,
  forbidden: 'Trang thẩm định dành cho hội đồng thẩm định và Ban Thư ký; khóa của bạn không có quyền này. Không có gì thay đổi.',
  noCycle: 'Không có kỳ đánh giá này.', noUnit: 'Đơn vị này không thuộc kỳ đánh giá.',
  conflict: 'Kỳ đánh giá đã thay đổi trong lúc bạn làm việc (giai đoạn hoặc dữ liệu); không có gì được ghi. Hãy mở lại trang.',
};

export type AppraisalLabels = typeof vi;

const en: AppraisalLabels = {
  progressTitle: (year, type) => `Appraisal ${year}: ${type}`,
  progressLead: 'To appraise: every sub-criterion the cycle\'s methodology scores by appraisal (source appraisal), whether or not the unit self-assessed it: on these only the appraised score counts, and the self-assessment is its basis. Sub-criteria scored by the sociological survey are not appraised here.',
  progressCaption: 'Each unit: sub-criteria self-assessed, appraised out of those to appraise, and remaining',
  summary: (done, units, left) => `${done} of ${units} units fully appraised; ${left} sub-criteria still unappraised.`,
  unit: 'Unit', selfAssessed: 'Self-assessed', appraised: 'Appraised', awaiting: 'Self-assessed, not yet appraised', remaining: 'Unappraised',
  complete: 'Done',
  unitTitle: (name, year) => `Appraisal of ${name}, ${year}`,
  unitLead: 'Each sub-criterion: the unit\'s self-assessed value with its evidence and note, beside the appraised value. Accept one, accept a whole domain (every self-assessed sub-criterion not yet appraised), or enter another value with a reason. Every button also writes the values you typed on the page; everything is written at once, or nothing if there is an error. An empty value field means not appraised (a stored value is kept).',
  back: 'Appraisal progress of the units',
  unitProgress: (appraised, total) => `${appraised} of ${total} sub-criteria appraised.`,
  unappraisedTitle: 'Still unappraised', noneUnappraised: 'Every sub-criterion is appraised.',
  subCriterion: 'Sub-criterion', max: 'Max', self: 'Self-assessed', evidence: 'Evidence', note: 'Note',
  appraisedValue: 'Appraised value', reason: 'Reason for adjustment', action: 'Action',
  notSelfAssessed: 'Not self-assessed', noData: 'No data',
  accept: 'Accept', acceptDomain: (name) => `Accept the whole domain ${name}`,
  save: 'Write appraised values',
  valueOf: (code) => `Appraised value of ${code}`, reasonOf: (code) => `Reason for adjusting ${code}`,
  acceptOf: (code) => `Accept the self-assessed value of ${code}`,
  states: { unassessed: 'Not self-assessed', awaiting: 'Awaiting appraisal', accepted: 'Accepted', adjusted: 'Adjusted', appraised: 'Appraised' },
  written: (n, inserted, updated) => `${n} appraised values written (${inserted} new, ${updated} changed).`,
  nothingWritten: 'Nothing changed: the values sent equal those stored, or no value was entered.',
  errorsTitle: (n) => `Nothing was written: ${n} error(s) to correct. The values you typed are kept on the page.`,
  fieldMessage: { value: 'Invalid value', reason: 'A reason is required where the appraised value differs from the self-assessment', other: 'Error' },
  readOnly: 'Read only',
  phaseReason: (phase, role) => role === 'appraiser'
    ? `This cycle is in the «${phase}» phase: the appraisal council writes scores in the «Appraisal» phase only.`
    : `This cycle is in the «${phase}» phase: scores are closed (the secretariat opens a correction to change published scores).`,
  forbidden: 'The appraisal pages are for the appraisal council and the secretariat; your key does not have this right. Nothing changed.',
  noCycle: 'There is no such cycle.', noUnit: 'This unit is not part of the cycle.',
  conflict: 'The cycle changed while you worked (its phase or its data); nothing was written. Open the page again.',
};

export const APPRAISAL_LABELS: Record<Lang, AppraisalLabels> = { vi, en };
