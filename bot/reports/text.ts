import type { Lang } from "../../indexer/index.ts";
import type { CaseCategory, CaseStatus } from "../store/index.ts";

/** What the report dialogue says, in Vietnamese and English. Data only. */

export const CATEGORY_LABEL: Record<CaseCategory, Record<Lang, string>> = {
  prices: { vi: "Giá cả, lừa đảo", en: "Prices and scams" },
  safety: { vi: "An ninh, an toàn", en: "Safety and security" },
  cleanliness: { vi: "Vệ sinh, môi trường", en: "Cleanliness and environment" },
  infrastructure: { vi: "Hạ tầng (đường, bến, cầu)", en: "Infrastructure (roads, landings)" },
  lodging: { vi: "Lưu trú, dịch vụ", en: "Lodging or service" },
  lost: { vi: "Thất lạc đồ, người", en: "Lost and found" },
  other: { vi: "Khác", en: "Other" },
};

export const STATUS_LABEL: Record<CaseStatus, Record<Lang, string>> = {
  received: { vi: "Đã tiếp nhận", en: "Received" },
  in_progress: { vi: "Đang xử lý", en: "In progress" },
  resolved: { vi: "Đã giải quyết", en: "Resolved" },
  rejected: { vi: "Không xử lý", en: "Rejected" },
};

export const T = {
  startButton: { vi: "Gửi phản ánh", en: "Send a report" },
  skip: { vi: "Bỏ qua", en: "Skip" },
  cancel: { vi: "Hủy", en: "Cancel" },
  now: { vi: "Bây giờ", en: "Now" },
  continue: { vi: "Tiếp tục", en: "Continue" },
  restart: { vi: "Làm lại", en: "Start over" },
  intro: {
    vi: "Bạn muốn phản ánh việc gì? Chọn một mục (gõ số hoặc tên):",
    en: "What would you like to report? Pick one (type its number or name):",
  },
  where: {
    vi: "Việc xảy ra ở đâu? Gửi vị trí, gõ tên địa điểm (ví dụ “Miếu Bà Chúa Xứ”) hoặc mô tả nơi đó. Gõ “bỏ qua” nếu không rõ.",
    en: "Where did it happen? Share your location, type the place's name (e.g. “Ba Chua Xu Temple”) or describe it. Type “skip” if unsure.",
  },
  when: {
    vi: "Việc xảy ra khi nào? Gõ thời gian (ví dụ “sáng nay 9 giờ”) hoặc “bây giờ”.",
    en: "When did it happen? Type a time (e.g. “this morning at 9”) or “now”.",
  },
  photo: {
    vi: "Bạn có ảnh không? Gửi một ảnh (JPEG, PNG hoặc WebP), hoặc gõ “bỏ qua”.",
    en: "Do you have a photo? Send one (JPEG, PNG or WebP), or type “skip”.",
  },
  description: {
    vi: "Hãy mô tả ngắn gọn việc đã xảy ra (tối đa {max} ký tự).",
    en: "Please describe briefly what happened (at most {max} characters).",
  },
  descriptionRequired: {
    vi: "Phần mô tả là cần thiết để cơ quan xử lý. Hãy gõ vài câu về việc đã xảy ra, hoặc “hủy”.",
    en: "The office needs a description to act on. Please type a few sentences, or “cancel”.",
  },
  truncated: {
    vi: "Mô tả dài {len} ký tự, quá giới hạn {max}: tôi giữ {max} ký tự đầu làm mô tả; toàn bộ nội dung bạn gửi vẫn được lưu trong hội thoại của phản ánh.",
    en: "Your description is {len} characters, over the {max} limit: the first {max} are kept as the description; everything you sent stays in the report's conversation.",
  },
  notACategory: {
    vi: "Tôi chưa rõ mục nào. Hãy gõ số từ 1 đến 7, hoặc “hủy”.",
    en: "I did not get the category. Please type a number from 1 to 7, or “cancel”.",
  },
  photoPlease: {
    vi: "Hãy gửi một ảnh, hoặc gõ “bỏ qua” để tiếp tục không có ảnh.",
    en: "Please send a photo, or type “skip” to go on without one.",
  },
  photoType: {
    vi: "Tệp này không phải ảnh JPEG, PNG hoặc WebP nên tôi không nhận. Hãy gửi ảnh khác, hoặc gõ “bỏ qua”.",
    en: "That file is not a JPEG, PNG or WebP picture, so I cannot take it. Send another photo, or type “skip”.",
  },
  photoSize: {
    vi: "Ảnh lớn quá ({mb} MB tối đa). Hãy gửi ảnh nhỏ hơn, hoặc gõ “bỏ qua”.",
    en: "That photo is too large ({mb} MB at most). Send a smaller one, or type “skip”.",
  },
  photoFailed: {
    vi: "Tôi chưa tải được ảnh. Hãy gửi lại, hoặc gõ “bỏ qua”.",
    en: "I could not load that photo. Please send it again, or type “skip”.",
  },
  photoReceived: { vi: "Đã nhận ảnh.", en: "Photo received." },
  photoOutside: {
    vi: "Tôi chỉ nhận ảnh khi bạn gửi phản ánh. Gõ “phản ánh” để bắt đầu.",
    en: "I only take photos as part of a report. Type “report” to start one.",
  },
  cancelled: {
    vi: "Đã hủy phản ánh. Bạn có thể gửi lại bất cứ lúc nào bằng cách gõ “phản ánh”.",
    en: "Report cancelled. You can start again any time by typing “report”.",
  },
  alreadyOpen: {
    vi: "Bạn đang có một phản ánh chưa gửi xong. Tiếp tục phản ánh đó, hay làm lại từ đầu?",
    en: "You have a report that is not finished yet. Continue it, or start over?",
  },
  tooMany: {
    vi: "Bạn đã gửi {n} phản ánh trong 24 giờ qua, là mức tối đa. Nếu khẩn cấp, hãy gọi 113 (công an) hoặc 115 (cấp cứu).",
    en: "You have sent {n} reports in the last 24 hours, which is the limit. In an emergency call 113 (police) or 115 (ambulance).",
  },
  filed: {
    vi: "Đã tiếp nhận phản ánh {code}. Cơ quan du lịch sẽ xem xét và trả lời bạn tại đây.\nXem trạng thái: gõ “trạng thái {code}” hoặc mở {link}\nHãy giữ đường dẫn này: ai có nó đều xem được trạng thái.",
    en: "Report {code} received. The tourism office will look into it and reply to you here.\nCheck its status: type “status {code}” or open {link}\nKeep this link private: anyone who has it can see the status.",
  },
  afterEmergency: {
    vi: "Phản ánh của bạn vẫn đang mở. {question}",
    en: "Your report is still open. {question}",
  },
  unknownCase: {
    vi: "Không tìm thấy phản ánh nào có mã này trong các phản ánh của bạn.",
    en: "No report with that code was found among your reports.",
  },
  statusAsk: {
    vi: "Hãy gõ mã phản ánh, ví dụ “trạng thái CD-2026-000123”.",
    en: "Please type the report's code, e.g. “status CD-2026-000123”.",
  },
  status: {
    vi: "Phản ánh {code} ({category}): {status}. Cập nhật lần cuối: {updated}.",
    en: "Report {code} ({category}): {status}. Last updated: {updated}.",
  },
  rejectedReason: { vi: "Lý do: {reason}", en: "Reason: {reason}" },
  nearHint: {
    vi: "Nếu bạn muốn gửi phản ánh cho cơ quan du lịch ngay tại đây, bấm “Gửi phản ánh”.",
    en: "To send a report to the tourism office right here, press “Send a report”.",
  },
  staffReply: {
    vi: "Trả lời từ cơ quan du lịch về phản ánh {code}:\n{text}",
    en: "Reply from the tourism office about report {code}:\n{text}",
  },
  statusChanged: {
    vi: "Phản ánh {code} đã chuyển sang: {status}.",
    en: "Report {code} is now: {status}.",
  },
} as const satisfies Record<string, Record<Lang, string>>;

/** A text of T in a language with its {placeholders} filled. */
export function say(key: keyof typeof T, lang: Lang, values: Record<string, string | number> = {}): string {
  return T[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}
