import type { ContentEntry, EntryType, Lang, LunarDate } from "../../../indexer/index.ts";
import { TYPE_FOLDERS } from "../../../indexer/index.ts";
import { EN_MONTHS } from "../understand/index.ts";

/** How the assistant writes dates, money and links; the eval's expected facts use the same forms. */

const WEEKDAYS = {
  vi: ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

/** "2027-05-21" → "21/5/2027" (vi) or "21 May 2027" (en). */
export function formatDate(iso: string, lang: Lang, withWeekday = false): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const weekday = WEEKDAYS[lang][new Date(Date.UTC(y, m - 1, d)).getUTCDay()] as string;
  const date = lang === "vi" ? `${d}/${m}/${y}` : `${d} ${EN_MONTHS[m - 1]} ${y}`;
  if (!withWeekday) return date;
  return lang === "vi" ? `${weekday}, ${date}` : `${weekday} ${date}`;
}

/** A range of days, each written in full so that every date carries its year. */
export function formatRange(start: string, end: string, lang: Lang): string {
  if (start === end) return formatDate(start, lang, true);
  return lang === "vi"
    ? `từ ${formatDate(start, lang)} đến ${formatDate(end, lang)}`
    : `from ${formatDate(start, lang)} to ${formatDate(end, lang)}`;
}

/** "25/4 âm lịch" (vi) or "lunar 25/4" (en); a leap month is marked. */
export function formatLunar(d: LunarDate, lang: Lang): string {
  const leap = d.leap ? (lang === "vi" ? " nhuận" : " (leap)") : "";
  return lang === "vi" ? `${d.day}/${d.month}${leap} âm lịch` : `lunar ${d.day}/${d.month}${leap}`;
}

/** 500000 → "500.000 đồng" (vi) or "500,000 VND" (en). */
export function formatVnd(amount: number, lang: Lang): string {
  const grouped = String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, lang === "vi" ? "." : ",");
  return lang === "vi" ? `${grouped} đồng` : `${grouped} VND`;
}

/** A map link that opens in any browser and in the Google Maps app. */
export function mapUrl(lat: number, lng: number): string {
  return `https://www.google.com/maps/search/?api=1&query=${lat},${lng}`;
}

/** The portal page of an entry: /attractions/…, /events/…, /lodging/…, /practical/…. */
export function entryUrl(type: EntryType, id: string): string {
  return `/${TYPE_FOLDERS[type]}/${id}`;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** "1.2 km" / "1,2 km"; metres under 1 km. */
export function formatKm(km: number, lang: Lang): string {
  if (km < 1) return `${Math.round(km * 100) * 10} m`;
  const s = km < 10 ? km.toFixed(1) : String(Math.round(km));
  return `${lang === "vi" ? s.replace(".", ",") : s} km`;
}

/** The one of two texts that is in the answer's language. */
export const t = <T>(lang: Lang, vi: T, en: T): T => (lang === "vi" ? vi : en);

/** A lodging rule's note of what is unconfirmed and where to check: the line every answer from it ends with. */
export function noteLine(rule: { verifyNote: Record<Lang, string> }, lang: Lang): string {
  return `${t(lang, "Lưu ý", "Note")}: ${rule.verifyNote[lang]}`;
}

/** The first letter upper-cased. */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type LegalStatus = Extract<ContentEntry, { type: "lodging-rule" }>["lodging"]["legalBasis"][number]["status"];

/** How a legal document's status reads, in answers and on the portal's lodging pages. */
export const LEGAL_STATUS: Record<LegalStatus, { vi: string; en: string }> = {
  "in-force": { vi: "đang có hiệu lực", en: "in force" },
  amended: { vi: "đã được sửa đổi", en: "amended" },
  replaced: { vi: "đã bị thay thế", en: "replaced" },
  "reported-change-unconfirmed": {
    vi: "thay đổi được báo cáo, chưa xác nhận",
    en: "reported change, unconfirmed",
  },
};
