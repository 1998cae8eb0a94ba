import { AREAS, CALENDARS, PRACTICAL_TOPICS, type EntryType } from "../../../indexer/index.ts";
import { html, type SafeHtml } from "../../views/html.ts";
import { typeLabel } from "../../views/parts.ts";
import { AREA_NAME } from "../../views/places.ts";
import {
  APPLIES_TO,
  formFieldsOf,
  ROW_GROUPS,
  type FormValues,
  type RowGroup,
  type RowMap,
} from "../entry-form.ts";
import { adminLayout } from "../layout.ts";
import type { AdminUser } from "../types.ts";

/**
 * The edit form of an entry (and of a new one): the structured fields of its type, the Vietnamese and the
 * English text side by side, and each problem of the content check beside the field it is about.
 */

/** A problem to show: from the content check (with its line in the file) or from the form itself. */
export type ShownProblem = { field: string; reason: string; line?: number };

export type EntryFormData = {
  mode: "edit" | "new";
  type: EntryType;
  /** The entry's id (edit) or the id typed so far (new). */
  id: string;
  /** `<type folder>/<id>.md` of an existing entry. */
  file?: string;
  values: FormValues;
  /** contentVersion of the file the form was filled from (edit). */
  version?: string;
  problems: ShownProblem[];
  rows: RowMap;
  user: AdminUser;
  csrfToken: string;
  canEdit: boolean;
  /** A short message after a save, shown first. */
  notice?: string;
  /** Shown above the form: why the page is shown (a conflict, the visitor's question). */
  intro?: SafeHtml;
  preview?: SafeHtml;
  /** URLs of the entry's uploaded images. */
  images?: string[];
};

const CALENDAR_LABEL: Record<(typeof CALENDARS)[number], string> = {
  "lunar-vn": "Âm lịch Việt Nam (hệ thống tự tính ngày)",
  solar: "Dương lịch",
  khmer: "Lịch Khmer (ngày công bố hằng năm)",
  islamic: "Lịch Hồi giáo (ngày công bố hằng năm)",
};

const TOPIC_LABEL: Record<(typeof PRACTICAL_TOPICS)[number], string> = {
  "getting-there": "Đường đến Châu Đốc",
  "border-crossing": "Cửa khẩu",
  emergency: "Khẩn cấp",
  seasons: "Mùa du lịch",
  food: "Ẩm thực",
  administration: "Hành chính",
  safety: "An toàn",
  other: "Khác",
};

const APPLIES_LABEL: Record<(typeof APPLIES_TO)[number], string> = {
  "vietnamese-guests": "Khách Việt Nam",
  "foreign-guests": "Khách nước ngoài",
  "stays-30-days-or-more": "Ở từ 30 ngày trở lên",
  "lodging-operators": "Cơ sở lưu trú (khách sạn, nhà nghỉ, homestay)",
};

const ROW_LABEL: Record<RowGroup, { item: string; cols: Record<string, string> }> = {
  sources: {
    item: "Nguồn",
    cols: {
      url: "Liên kết (http/https)",
      title: "Tiêu đề",
      "note.vi": "Nguồn này xác nhận điều gì (tiếng Việt, khách đọc được)",
      "note.en": "What this source supports (English, shown to visitors)",
    },
  },
  "event.knownDates": {
    item: "Lần tổ chức",
    cols: {
      start: "Bắt đầu (YYYY-MM-DD)",
      end: "Kết thúc (YYYY-MM-DD)",
      main: "Ngày chính",
      "note.vi": "Ghi chú (tiếng Việt)",
      "note.en": "Ghi chú (English)",
      source: "Nguồn (liên kết)",
    },
  },
  images: {
    item: "Ảnh",
    cols: {
      file: "Tệp ảnh (chọn ảnh đã tải lên, hoặc images/<tên> trong content/)",
      "alt.vi": "Mô tả ảnh cho người không xem được (tiếng Việt)",
      "alt.en": "Alt text (English)",
      author: "Tác giả (bắt buộc)",
      licence: "Giấy phép, vd. CC BY-SA 4.0 (bắt buộc)",
      sourceUrl: "Trang nguồn của ảnh và giấy phép (bắt buộc)",
    },
  },
  "practical.contacts": {
    item: "Số liên hệ",
    cols: { "label.vi": "Tên (tiếng Việt)", "label.en": "Tên (English)", phone: "Số điện thoại" },
  },
  "practical.facts": {
    item: "Thông tin",
    cols: {
      "label.vi": "Mục (tiếng Việt)",
      "label.en": "Mục (English)",
      "value.vi": "Nội dung (tiếng Việt)",
      "value.en": "Nội dung (English)",
    },
  },
};

/** Blank rows offered after the last item of a list. */
const BLANK_ROWS = 2;

/** The id of a field's element. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^must not be empty$/, () => "không được để trống"],
  [/^required field is missing$/, () => "bắt buộc phải điền"],
  [/^(.+) is outside the region \((.+)\)$/, (m) => `${m[1]} nằm ngoài vùng Châu Đốc (${m[2]})`],
  [/^no entry has the id '(.+)'$/, (m) => `không có mục nào có id “${m[1]}”`],
  [/^duplicate id '(.+)', already used by (.+)$/, (m) => `id “${m[1]}” đã được dùng ở ${m[2]}`],
  [/^must be a date written YYYY-MM-DD$/, () => "ngày phải viết dạng YYYY-MM-DD"],
  [/^is not a real calendar date$/, () => "không phải là một ngày có thật"],
  [
    /^(.+) is in the future \(today is (.+)\)$/,
    (m) => `${m[1]} là ngày trong tương lai (hôm nay là ${m[2]})`,
  ],
  [/^give at least one tag$/, () => "cần ít nhất một thẻ"],
  [/^every entry names at least one source$/, () => "cần ít nhất một nguồn"],
  [/^must be an http\(s\) link$/, () => "phải là liên kết http:// hoặc https://"],
  [/^Invalid input: expected number/, () => "phải là một số"],
  [/^must be a whole number from 1 to 99$/, () => "phải là số nguyên từ 1 đến 99"],
  [/^min must not exceed max$/, () => "số nhỏ nhất không được lớn hơn số lớn nhất"],
  [
    /^must be lowercase kebab-case/,
    () => "chỉ dùng chữ thường không dấu, số và dấu gạch ngang (vd. chua-moi)",
  ],
  [/^unknown field$/, () => "trường không có trong mẫu"],
  [/^an entry cannot be related to itself$/, () => "một mục không thể liên quan đến chính nó"],
  [/^a lodging rule must quote its legal basis$/, () => "quy định lưu trú phải có căn cứ pháp lý"],
  [/^digits only$/, () => "chỉ gồm chữ số"],
  [/^'(.+)' is not an attraction$/, (m) => `“${m[1]}” không phải là điểm tham quan`],
  [/^must be written MM-DD$/, () => "phải viết dạng MM-DD, vd. 04-30"],
];

/** A problem's reason in Vietnamese when it is a common one; otherwise as the check wrote it. */
export function reasonText(reason: string): SafeHtml {
  for (const [pattern, say] of REASONS) {
    const m = pattern.exec(reason);
    if (m) return html`${say(m)}`;
  }
  return html`<span lang="en">${reason}</span>`;
}

/** Where each problem is shown: the most precise field the page has, or the top. */
type Placement = { byField: Map<string, ShownProblem[]>; top: ShownProblem[]; exact: Set<ShownProblem> };

function place(problems: ShownProblem[], names: Set<string>, rows: RowMap): Placement {
  const byField = new Map<string, ShownProblem[]>();
  const top: ShownProblem[] = [];
  const exact = new Set<ShownProblem>();
  for (const p of problems) {
    const candidates = formFieldsOf(p.field, rows);
    const name = candidates.find((c) => names.has(c));
    if (!name) {
      top.push(p);
      continue;
    }
    // Exact: the field itself, not a group holding it (nor the raw-YAML box standing for a whole list).
    const depth = p.field.split(/\.|\[/).length;
    if (name === candidates[0] && candidates.length === depth) exact.add(p);
    byField.set(name, [...(byField.get(name) ?? []), p]);
  }
  return { byField, top, exact };
}

type InputOptions = {
  lang?: "vi" | "en";
  hint?: string;
  type?: "text" | "date" | "url" | "number";
  inputmode?: "decimal" | "numeric" | "url";
  size?: number;
  rows?: number;
  className?: string;
  /** For a field of a list row: the row's name, so the problem list says which row. */
  itemLabel?: string;
};

/** Renders fields and records their names, so problems can be placed beside them. */
class Fields {
  readonly names = new Set<string>();
  /** The label of each field, for the list of problems at the top. */
  readonly labels = new Map<string, string>();

  constructor(
    private readonly values: FormValues,
    private readonly placement: Placement,
    /** Choices offered for a column of a row group ("images.file": the uploaded images). */
    private readonly choices: Record<string, string[]> = {},
  ) {}

  errors(name: string): SafeHtml {
    const list = this.placement.byField.get(name) ?? [];
    if (list.length === 0) return html``;
    return html`<div class="field-error" id="${fieldId(name)}-err">
      ${list.map(
        (p) =>
          html`<p>${this.placement.exact.has(p) ? "" : html`<code>${p.field}</code>: `}${reasonText(p.reason)}</p>`,
      )}
    </div>`;
  }

  private aria(name: string, hint?: string): SafeHtml {
    const ids = [
      hint ? `${fieldId(name)}-hint` : "",
      this.placement.byField.has(name) ? `${fieldId(name)}-err` : "",
    ]
      .filter(Boolean)
      .join(" ");
    return html`${ids ? html` aria-describedby="${ids}"` : ""}${this.placement.byField.has(name) ? html` aria-invalid="true"` : ""}`;
  }

  private hint(name: string, hint?: string): SafeHtml {
    return hint ? html`<p class="hint" id="${fieldId(name)}-hint">${hint}</p>` : html``;
  }

  text(name: string, label: string, o: InputOptions = {}): SafeHtml {
    this.names.add(name);
    this.labels.set(name, o.itemLabel ? `${o.itemLabel}: ${label}` : label);
    return html`<div class="field${o.className ? ` ${o.className}` : ""}">
      <label for="${fieldId(name)}">${label}</label>${this.hint(name, o.hint)}
      <input type="${o.type ?? "text"}" id="${fieldId(name)}" name="${name}" value="${this.values[name] ?? ""}"${
        o.lang ? html` lang="${o.lang}"` : ""
      }${o.inputmode ? html` inputmode="${o.inputmode}"` : ""}${o.size ? html` size="${o.size}"` : ""}${this.aria(name, o.hint)} />
      ${this.errors(name)}
    </div>`;
  }

  area(name: string, label: string, o: InputOptions = {}): SafeHtml {
    this.names.add(name);
    this.labels.set(name, label);
    return html`<div class="field${o.className ? ` ${o.className}` : ""}">
      <label for="${fieldId(name)}">${label}</label>${this.hint(name, o.hint)}
      <textarea id="${fieldId(name)}" name="${name}" rows="${o.rows ?? 3}"${o.lang ? html` lang="${o.lang}"` : ""}${this.aria(name, o.hint)}>${
        this.values[name] ?? ""
      }</textarea>
      ${this.errors(name)}
    </div>`;
  }

  check(name: string, label: string): SafeHtml {
    this.names.add(name);
    this.labels.set(name, label);
    return html`<div class="field">
      <label class="choice"><input type="checkbox" id="${fieldId(name)}" name="${name}" value="on"${
        this.values[name] === "on" ? html` checked` : ""
      }${this.aria(name)} /> ${label}</label>
      ${this.errors(name)}
    </div>`;
  }

  select(name: string, label: string, options: [string, string][]): SafeHtml {
    this.names.add(name);
    this.labels.set(name, label);
    const current = this.values[name] ?? "";
    const known = options.some(([v]) => v === current);
    return html`<div class="field">
      <label for="${fieldId(name)}">${label}</label>
      <select id="${fieldId(name)}" name="${name}"${this.aria(name)}>
        ${known || current === "" ? "" : html`<option value="${current}" selected>${current}</option>`}
        ${options.map(([v, l]) => html`<option value="${v}"${v === current ? html` selected` : ""}>${l}</option>`)}
      </select>
      ${this.errors(name)}
    </div>`;
  }

  /** A choice among `options` (the uploaded images), keeping a value typed in the file that is not one. */
  picker(name: string, label: string, options: string[]): SafeHtml {
    const current = this.values[name] ?? "";
    const all = current && !options.includes(current) ? [current, ...options] : options;
    return this.select(name, label, [["", "— Chưa chọn —"], ...all.map((o): [string, string] => [o, o])]);
  }

  /** Something shown but not edited (the id of an existing entry), with its problems. */
  display(name: string, label: string, content: SafeHtml): SafeHtml {
    this.names.add(name);
    this.labels.set(name, label);
    return html`<div class="field" id="${fieldId(name)}">${content} ${this.errors(name)}</div>`;
  }

  /** A field in both languages, side by side. */
  pair(name: string, label: string, kind: "text" | "area", o: InputOptions = {}): SafeHtml {
    this.names.add(name);
    this.labels.set(name, label);
    const one = (lang: "vi" | "en") => {
      const l = `${label} – ${lang === "vi" ? "Tiếng Việt" : "English"}`;
      return kind === "text"
        ? this.text(`${name}.${lang}`, l, { ...o, lang, hint: undefined })
        : this.area(`${name}.${lang}`, l, { ...o, lang, hint: undefined });
    };
    return html`<div class="pair-field" id="${fieldId(name)}">
      ${o.hint ? html`<p class="hint">${o.hint}</p>` : ""} ${this.errors(name)}
      <div class="pair">${one("vi")} ${one("en")}</div>
    </div>`;
  }

  /** A fieldset of related inputs, with the problems of the whole group. */
  group(name: string, legend: string, content: SafeHtml, hint?: string): SafeHtml {
    this.names.add(name);
    this.labels.set(name, legend);
    return html`<fieldset id="${fieldId(name)}" class="group">
      <legend>${legend}</legend>
      ${hint ? html`<p class="hint">${hint}</p>` : ""} ${this.errors(name)} ${content}
    </fieldset>`;
  }

  /** A list edited as rows of inputs, with blank rows to add items. */
  rows(group: RowGroup, legend: string, hint?: string): SafeHtml {
    const labels = ROW_LABEL[group];
    const cols: readonly string[] = ROW_GROUPS[group];
    let count = 0;
    for (const key of Object.keys(this.values)) {
      const m = new RegExp(`^${group.replace(".", "\\.")}\\.(\\d+)\\.`).exec(key);
      if (m) count = Math.max(count, Number(m[1]) + 1);
    }
    const rows = Array.from({ length: Math.min(count + BLANK_ROWS, 100) }, (_, i) => i);
    return this.group(
      group,
      legend,
      html`${rows.map((i) => {
        this.names.add(`${group}.${i}`);
        this.labels.set(`${group}.${i}`, `${labels.item} ${i + 1}`);
        return html`<fieldset class="row" id="${fieldId(`${group}.${i}`)}">
          <legend>${labels.item} ${i + 1}${i >= count ? " (thêm mới)" : ""}</legend>
          ${this.errors(`${group}.${i}`)}
          <div class="row-fields">
            ${cols.map((c) =>
              this.choices[`${group}.${c}`]
                ? this.picker(
                    `${group}.${i}.${c}`,
                    `${labels.cols[c] ?? c}`,
                    this.choices[`${group}.${c}`] ?? [],
                  )
                : this.text(`${group}.${i}.${c}`, `${labels.cols[c] ?? c}`, {
                    itemLabel: `${labels.item} ${i + 1}`,
                    ...(c.endsWith(".en")
                      ? { lang: "en" as const }
                      : c.endsWith(".vi")
                        ? { lang: "vi" as const }
                        : {}),
                  }),
            )}
          </div>
        </fieldset>`;
      })}`,
      hint,
    );
  }
}

function typeFields(f: Fields, type: EntryType): SafeHtml {
  switch (type) {
    case "attraction":
      return html`<section aria-labelledby="h-type" class="form-section">
        <h2 id="h-type">Thông tin địa điểm</h2>
        ${f.select("place.area", "Khu vực (nhóm trong danh sách điểm tham quan)", [
          ["", "— Chưa xếp khu vực (xếp cuối danh sách) —"],
          ...AREAS.map((a): [string, string] => [a, AREA_NAME[a].vi]),
        ])}
        ${f.pair("place.address", "Địa chỉ", "text", { hint: "Tên hành chính áp dụng từ 1/7/2025 (phường Châu Đốc, phường Vĩnh Tế, xã Vĩnh Hậu, tỉnh An Giang)." })}
        ${f.area("place.formerNames", "Tên cũ (mỗi dòng một tên)", { hint: "Tên cũ người ta vẫn tìm: phường Núi Sam, TP. Châu Đốc, huyện Tịnh Biên…", rows: 3 })}
        ${f.group(
          "place.coordinates",
          "Tọa độ",
          html`<div class="inline">
              ${f.text("place.coordinates.lat", "Vĩ độ (lat)", { inputmode: "decimal", size: 12 })}
              ${f.text("place.coordinates.lng", "Kinh độ (lng)", { inputmode: "decimal", size: 12 })}
            </div>
            ${f.check("place.coordinates.approximate", "Vị trí gần đúng (không lấy từ nguồn đo đạc)")}`,
          "Để trống cả hai ô nếu chưa biết. Vùng Châu Đốc: vĩ độ 10,2–11,1; kinh độ 104,7–105,5.",
        )}
        ${f.group(
          "place.distanceFromCentreKm",
          "Khoảng cách từ trung tâm Châu Đốc (km)",
          html`<div class="inline">
            ${f.text("place.distanceFromCentreKm.min", "Từ", { inputmode: "decimal", size: 6 })}
            ${f.text("place.distanceFromCentreKm.max", "Đến", { inputmode: "decimal", size: 6 })}
          </div>`,
          "Hai số bằng nhau khi các nguồn thống nhất; để trống cả hai nếu chưa biết.",
        )}
        ${f.pair("place.openingHours", "Giờ mở cửa", "text", { hint: "Để trống cả hai ô nếu chưa có nguồn: trang sẽ ghi “chưa có thông tin xác nhận”." })}
        ${f.pair("place.tickets", "Vé", "text", { hint: "Để trống cả hai ô nếu chưa có nguồn." })}
        ${f.pair("place.gettingThere", "Cách đi", "area", { rows: 3 })}
      </section>`;
    case "event":
      return html`<section aria-labelledby="h-type" class="form-section">
        <h2 id="h-type">Lịch và địa điểm</h2>
        ${f.select(
          "event.calendar",
          "Loại lịch",
          CALENDARS.map((c) => [c, CALENDAR_LABEL[c]]),
        )}
        ${f.group(
          "event.lunar",
          "Ngày âm lịch (cho lịch âm Việt Nam)",
          html`${(["start", "end", "main"] as const).map(
            (k) =>
              html`<div class="inline">
                ${f.text(`event.lunar.${k}.month`, `${k === "start" ? "Bắt đầu" : k === "end" ? "Kết thúc" : "Ngày chính"}: tháng`, { inputmode: "numeric", size: 4 })}
                ${f.text(`event.lunar.${k}.day`, `${k === "start" ? "Bắt đầu" : k === "end" ? "Kết thúc" : "Ngày chính"}: ngày`, { inputmode: "numeric", size: 4 })}
              </div>`,
          )}`,
          "Ngày chính có thể để trống.",
        )}
        ${f.group(
          "event.solar",
          "Ngày dương lịch (MM-DD, cho lịch dương hoặc khoảng thời gian thường lệ)",
          html`<div class="inline">
            ${f.text("event.solar.start", "Bắt đầu", { size: 6 })} ${f.text("event.solar.end", "Kết thúc", { size: 6 })}
            ${f.text("event.solar.main", "Ngày chính", { size: 6 })}
          </div>`,
        )}
        ${f.check("event.approximate", "Thời gian gần đúng (một mùa, một khoảng thường lệ)")}
        ${f.check("event.announcedYearly", "Ngày được ban tổ chức công bố hằng năm (bắt buộc với lịch Khmer, Hồi giáo)")}
        ${f.pair("event.where", "Nơi diễn ra", "text")}
        ${f.area("event.venues", "Địa điểm (id của điểm tham quan, mỗi dòng một id)", { rows: 2 })}
        ${f.rows("event.knownDates", "Các lần tổ chức đã biết (theo nguồn)")}
      </section>`;
    case "lodging-rule":
      return html`<section aria-labelledby="h-type" class="form-section">
        <h2 id="h-type">Quy định</h2>
        ${f.group(
          "lodging.appliesTo",
          "Áp dụng cho",
          html`${APPLIES_TO.map((a) => f.check(`lodging.appliesTo.${a}`, APPLIES_LABEL[a]))}`,
        )}
        ${f.text("lodging.thresholdDays", "Áp dụng khi ở từ (số ngày)", { inputmode: "numeric", size: 4, hint: "Để trống nếu không phụ thuộc thời gian lưu trú." })}
        ${f.pair("lodging.verifyNote", "Lời nhắc kiểm tra (luôn hiển thị)", "area", { rows: 3 })}
        ${f.area(
          "lodging.yaml",
          "Thời hạn, kênh khai báo, thông tin khách, căn cứ pháp lý, mức phạt (YAML)",
          {
            rows: 24,
            lang: "en",
            className: "code",
            hint: "Viết theo định dạng YAML như trong content/README.md (deadlines, channels, guestDetails, legalBasis, penalties). Được kiểm tra khi lưu; lỗi sẽ hiện ngay dưới ô này.",
          },
        )}
      </section>`;
    case "itinerary":
      return html`<section aria-labelledby="h-type" class="form-section">
        <h2 id="h-type">Lịch trình</h2>
        ${f.area("itinerary.yaml", "Số ngày và các điểm dừng theo thứ tự (YAML)", {
          rows: 24,
          lang: "en",
          className: "code",
          hint: "days: số ngày; stops: mỗi điểm dừng có day, time, place (id điểm tham quan) hoặc name, duration, travel (cách đi từ điểm trước), what — mỗi chữ đều { vi, en }. Xem content/README.md.",
        })}
      </section>`;
    case "practical":
      return html`<section aria-labelledby="h-type" class="form-section">
        <h2 id="h-type">Thông tin thiết thực</h2>
        ${f.select(
          "practical.topic",
          "Chủ đề",
          PRACTICAL_TOPICS.map((t) => [t, TOPIC_LABEL[t]]),
        )}
        ${f.rows("practical.contacts", "Số điện thoại", "Chỉ ghi số có trong nguồn.")}
        ${f.rows("practical.facts", "Thông tin ngắn (khoảng cách, ngày, giá…)")}
      </section>`;
  }
}

function formFields(f: Fields, d: EntryFormData): SafeHtml {
  return html`${
    d.mode === "new"
      ? f.text("id", "Id (tên tệp)", {
          hint: "Chữ thường không dấu, số và dấu gạch ngang, vd. chua-phuoc-dien. Không đổi được sau khi tạo.",
          size: 40,
        })
      : f.display("id", "Id", html`<p class="muted">Id: <code>${d.id}</code></p>`)
  }
    <section aria-labelledby="h-title" class="form-section">
      <h2 id="h-title">Tiêu đề và tóm tắt</h2>
      ${f.pair("title", "Tiêu đề", "text")} ${f.pair("summary", "Tóm tắt (một hai câu)", "area", { rows: 3 })}
    </section>
    ${typeFields(f, d.type)}
    <section aria-labelledby="h-body" class="form-section">
      <h2 id="h-body">Nội dung</h2>
      ${f.pair("body", "Nội dung", "area", {
        rows: 22,
        hint: "Dùng “## ” cho tiêu đề mục và “- ” cho danh sách. Nói cùng các ý ở cả hai ngôn ngữ.",
      })}
    </section>
    <section aria-labelledby="h-meta" class="form-section">
      <h2 id="h-meta">Tìm kiếm, nguồn và kiểm tra</h2>
      ${f.pair("aliases", "Tên gọi khác (mỗi dòng một tên)", "area", { rows: 3 })}
      ${f.area("tags", "Thẻ (mỗi dòng một thẻ)", { rows: 4 })}
      ${f.rows("sources", "Nguồn", "Viết lại bằng lời của mình; mỗi mục cần ít nhất một nguồn.")}
      ${f.rows(
        "images",
        "Ảnh của mục (ảnh đầu tiên là ảnh lớn đầu trang)",
        "Chỉ dùng ảnh mà bạn đã đọc giấy phép. Tác giả, giấy phép, trang nguồn và mô tả ở cả hai ngôn ngữ đều bắt buộc. Tải ảnh lên ở cuối trang rồi chọn ở đây.",
      )}
      ${f.area("related", "Mục liên quan (id, mỗi dòng một id)", { rows: 3 })}
      ${f.text("featured", "Thứ hạng nổi bật (1 đứng đầu)", {
        inputmode: "numeric",
        size: 4,
        hint: "Số nguyên từ 1 đến 99: trang chủ và các danh sách đưa mục có hạng lên trước, hạng 1 đầu tiên. Để trống nếu mục không nổi bật.",
      })}
      ${f.text("lastVerified", "Ngày kiểm tra nguồn gần nhất", { type: "date" })}
      ${f.check("verified", "Đã kiểm tra lại nguồn hôm nay (ghi ngày hôm nay khi lưu)")}
    </section>
    <section aria-labelledby="h-staff" class="form-section staff-note">
      <h2 id="h-staff">Ghi chú nội bộ</h2>
      ${f.area("staffNote", "Ghi chú cho biên tập viên (không bao giờ hiện cho khách)", {
        rows: 4,
        hint: "Việc cần kiểm tra lại, nguồn chưa mở, nghi vấn… Chỉ hiện trong trang quản trị; không vào trang công khai, chỉ mục tìm kiếm hay câu trả lời.",
      })}
    </section>`;
}

/** The top of the page: the problems that have no field of their own, with links to the others. */
function problemSummary(d: EntryFormData, placement: Placement, labels: Map<string, string>): SafeHtml {
  if (d.problems.length === 0) return html``;
  const placed = [...placement.byField.entries()];
  return html`<div class="error-summary" role="alert" id="problems" tabindex="-1">
    <h2>Chưa lưu: có ${d.problems.length} lỗi cần sửa</h2>
    <ul>
      ${placement.top.map(
        (p) =>
          html`<li><code>${p.field}</code>${p.line ? html` (dòng ${p.line})` : ""}: ${reasonText(p.reason)}</li>`,
      )}
      ${placed.map(
        ([name, list]) =>
          html`<li><a href="#${fieldId(name)}">${labels.get(name) ?? name}</a>: ${list.map((p, i) => html`${i ? "; " : ""}${reasonText(p.reason)}`)}</li>`,
      )}
    </ul>
  </div>`;
}

function imagesSection(d: EntryFormData): SafeHtml {
  if (d.mode !== "edit" || !d.canEdit) return html``;
  return html`<section aria-labelledby="h-images" class="form-section">
    <h2 id="h-images">Ảnh</h2>
    <form method="post" action="/admin/entries/${d.id}/images" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value="${d.csrfToken}" />
      <div class="field">
        <label for="f-image">Tải ảnh lên (JPEG, PNG hoặc WebP, tối đa 2 MB)</label>
        <input type="file" id="f-image" name="image" accept="image/jpeg,image/png,image/webp" />
      </div>
      <button type="submit">Tải lên</button>
    </form>
    ${
      d.images && d.images.length
        ? html`<p>Ảnh đã tải lên cho mục này (chép địa chỉ vào nội dung):</p>
            <ul class="images">
              ${d.images.map((u) => html`<li><code>${u}</code></li>`)}
            </ul>`
        : ""
    }
  </section>`;
}

/** The whole edit (or new-entry) page. */
export function entryFormPage(d: EntryFormData): string {
  // First pass: which fields the page has; second: each problem beside the most precise of them.
  const choices = { "images.file": d.images ?? [] };
  const probe = new Fields(d.values, { byField: new Map(), top: [], exact: new Set() }, choices);
  formFields(probe, d);
  const placement = place(d.problems, probe.names, d.rows);
  const f = new Fields(d.values, placement, choices);
  const fields = formFields(f, d);
  const action = d.mode === "edit" ? `/admin/entries/${d.id}` : "/admin/entries";
  const heading =
    d.mode === "edit"
      ? `Sửa: ${d.values["title.vi"] || d.id}`
      : `Mục mới: ${typeLabel(d.type, "vi").toLowerCase()}`;
  const main = html`<div class="editor">
    <p class="crumbs"><a href="/admin/entries">Nội dung</a> › ${typeLabel(d.type, "vi")}</p>
    <h1>${heading}</h1>
    ${
      d.mode === "edit"
        ? html`<p class="muted">
            Tệp <code>${d.file ?? ""}</code> · <a href="/admin/entries/${d.id}/preview">Xem trước bản đã lưu</a>
            ${d.canEdit ? html` · <a href="/admin/entries/${d.id}/delete">Xóa mục này</a>` : ""}
          </p>`
        : ""
    }
    ${d.notice ? html`<p class="notice" role="status">${d.notice}</p>` : ""} ${d.intro ?? ""}
    ${problemSummary(d, placement, probe.labels)} ${d.preview ?? ""}
    ${d.canEdit ? "" : html`<p class="note">Bạn chỉ có quyền xem: không lưu được thay đổi.</p>`}
    <form method="post" action="${action}" class="entry-form" novalidate>
      <input type="hidden" name="_csrf" value="${d.csrfToken}" />
      ${d.version ? html`<input type="hidden" name="version" value="${d.version}" />` : ""}
      ${d.mode === "new" ? html`<input type="hidden" name="type" value="${d.type}" />` : ""}
      <fieldset class="plain"${d.canEdit ? "" : html` disabled`}>
        <legend class="visually-hidden">Các trường của mục</legend>
        ${fields}
        <div class="actions">
          <button type="submit" name="action" value="save">${d.mode === "edit" ? "Lưu" : "Tạo mục"}</button>
          <button type="submit" name="action" value="preview" class="secondary">Xem trước</button>
        </div>
      </fieldset>
    </form>
    ${imagesSection(d)}
  </div>`;
  return adminLayout({ title: heading, section: "entries", user: d.user, csrfToken: d.csrfToken }, main);
}
