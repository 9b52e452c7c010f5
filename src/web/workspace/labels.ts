// The workspace's words in both languages (Vietnamese first, exact with diacritics).
import type { Lang } from '../i18n.js';

const vi = {
  workspace: 'Khu làm việc',
  signInTitle: 'Đăng nhập khu làm việc',
  signInLead: 'Nhập khóa truy cập do Ban Thư ký cấp cho đơn vị hoặc cho người thẩm định (dạng par_…). Khóa không được lưu trong trình duyệt; phiên làm việc kéo dài 8 giờ.',
  key: 'Khóa truy cập', signIn: 'Đăng nhập', signOut: 'Đăng xuất',
  refused: 'Khóa không hợp lệ, đã bị thu hồi hoặc không tồn tại. Hãy kiểm tra và nhập lại.',
  tooMany: 'Quá nhiều lần đăng nhập không thành công từ địa chỉ này; hãy thử lại sau một phút.',
  forged: 'Biểu mẫu này không được gửi từ trang của dịch vụ nên đã bị từ chối; không có gì thay đổi. Hãy mở lại trang và gửi lại.',
  signedInAs: 'Đang làm việc với vai trò',
  roles: { admin: 'Ban Thư ký (quản trị)', appraiser: 'Hội đồng thẩm định', unit: 'Đơn vị', public: 'Công chúng' } as Record<string, string>,
  cycles: 'Các kỳ đánh giá', cyclesCaption: 'Mỗi kỳ: năm, loại đơn vị, giai đoạn và việc bạn có thể làm trong giai đoạn này',
  year: 'Năm', unitType: 'Loại đơn vị', phase: 'Giai đoạn', yourPart: 'Việc của bạn lúc này',
  phases: { open: 'Tự đánh giá', appraisal: 'Thẩm định', review: 'Rà soát', published: 'Đã công bố', correction: 'Đính chính' } as Record<string, string>,
  mayWrite: { admin: 'Nhập và sửa điểm', appraiser: 'Thẩm định điểm', unit: 'Tự đánh giá: nhập điểm và tài liệu kiểm chứng' } as Record<string, string>,
  notNow: 'Không nhập điểm trong giai đoạn này',
  noCycles: 'Chưa có kỳ đánh giá nào.',
  open: 'Mở', tasks: 'Công việc',
  screen: { admin: 'Quản lý kỳ', appraiser: 'Thẩm định', unit: 'Phiếu tự đánh giá' } as Record<string, string>,
  newCycle: 'Mở kỳ đánh giá mới', methodologies: 'Phương pháp đánh giá', keys: 'Khóa truy cập', audit: 'Nhật ký thao tác',
};

export type WorkspaceLabels = typeof vi;

const en: WorkspaceLabels = {
  workspace: 'Workspace',
  signInTitle: 'Sign in to the workspace',
  signInLead: 'Enter the access key the secretariat issued to your unit or to you as an appraiser (par_…). The key is not kept in the browser; a session lasts 8 hours.',
  key: 'Access key', signIn: 'Sign in', signOut: 'Sign out',
  refused: 'This key is not valid, has been revoked or does not exist. Check it and enter it again.',
  tooMany: 'Too many failed sign-ins from this address; try again in a minute.',
  forged: 'This form was not sent from this service\'s own page, so it was refused; nothing changed. Open the page again and send it from there.',
  signedInAs: 'Working as',
  roles: { admin: 'Secretariat (admin)', appraiser: 'Appraisal council', unit: 'Unit', public: 'Public' },
  cycles: 'Cycles', cyclesCaption: 'Each cycle: year, unit type, phase and what you may do in this phase',
  year: 'Year', unitType: 'Unit type', phase: 'Phase', yourPart: 'Your part now',
  phases: { open: 'Self-assessment', appraisal: 'Appraisal', review: 'Review', published: 'Published', correction: 'Correction' },
  mayWrite: { admin: 'Enter and correct scores', appraiser: 'Appraise scores', unit: 'Self-assess: enter scores and evidence' },
  notNow: 'No scores are entered in this phase',
  noCycles: 'No cycle yet.',
  open: 'Open', tasks: 'Tasks',
  screen: { admin: 'Manage the cycle', appraiser: 'Appraise', unit: 'Self-assessment form' },
  newCycle: 'Open a new cycle', methodologies: 'Methodologies', keys: 'Access keys', audit: 'Audit log',
};

export const WORKSPACE_LABELS: Record<Lang, WorkspaceLabels> = { vi, en };
