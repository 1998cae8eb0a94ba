import { randomBytes } from "node:crypto";
import { Router, type Request, type Response } from "express";
import type { HandoffDesk } from "../../bot/handoff/index.ts";
import type { DeliveryResult } from "../../bot/channels/index.ts";
import type { HandoffLine, HandoffRow } from "../../bot/index.ts";
import { AppError } from "../../indexer/index.ts";
import { html } from "../views/html.ts";
import { adminLayout } from "./layout.ts";
import type { AdminDeps, AdminUser } from "./types.ts";

/**
 * Talking to visitors: GET /admin/handoffs (the open handoffs, kept fresh by /admin/static/handoffs.js
 * polling /admin/handoffs.json every few seconds), GET /admin/handoffs/:id (the transcript with the
 * state of each staff message, a reply box and "end"), POST …/reply and POST …/end (editors; CSRF by
 * the auth guard; audit-logged without the message text). Replies go through the outbox: on Zalo OA
 * outside its reply window the page shows the message as waiting for the visitor's next message.
 */

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CHANNEL: Record<string, string> = {
  telegram: "Telegram",
  "zalo-oa": "Zalo OA",
  "zalo-bot": "Zalo Bot",
  web: "Trang web",
};
const AUTHOR: Record<HandoffLine["author"], string> = { user: "Du khách", staff: "Nhân viên", bot: "Trợ lý" };

/** Vietnam time, "2026-11-23 09:05". */
function vnTime(ms: number | undefined): string {
  if (ms === undefined) return "";
  return new Date(ms + 7 * 3_600_000).toISOString().replace("T", " ").slice(0, 16);
}

/** What the staff see of a staff message's delivery. */
export function deliveryText(d: DeliveryResult | undefined): string {
  if (!d) return "";
  switch (d.status) {
    case "sent":
      return "Đã gửi";
    case "held":
      return "Đang chờ: Zalo chỉ cho trả lời trong 48 giờ sau tin nhắn của du khách (tối đa 8 tin); tin sẽ được gửi khi du khách nhắn lại";
    case "pending":
      return "Đang gửi lại (nền tảng tạm lỗi)";
    case "failed":
      return `Không gửi được: ${d.reason ?? ""}`;
  }
}

function summary(h: HandoffRow, deadline: number) {
  return {
    id: h.id,
    url: `/admin/handoffs/${h.id}`,
    channel: CHANNEL[h.channel] ?? h.channel,
    lang: h.lang,
    started: vnTime(h.startedAt),
    lastUser: vnTime(h.lastUserAt),
    lastStaff: vnTime(h.lastStaffAt) || "chưa trả lời",
    status: h.status === "open" ? "đang mở" : "đã đóng",
    backToBot: h.status === "open" ? vnTime(deadline) : vnTime(h.closedAt),
  };
}

type Summary = ReturnType<typeof summary>;

/** The handoff pages; mounted when the app has a handoff desk. */
export function handoffsRouter(deps: AdminDeps, desk: HandoffDesk): Router {
  const router = Router();
  const viewer = deps.auth.require("viewer");
  const editor = deps.auth.require("editor");

  async function lists() {
    const open = await desk.list({ status: "open", limit: 200 });
    const closed = await desk.list({ status: "closed", limit: 20 });
    return {
      open: open.map((h) => summary(h, desk.quietDeadline(h))),
      closed: closed.map((h) => summary(h, desk.quietDeadline(h))),
    };
  }

  async function found(req: Request): Promise<HandoffRow> {
    const id = String(req.params.id ?? "");
    const h = ID.test(id) ? await desk.get(id) : undefined;
    if (!h) throw new AppError("not_found:handoff", "Không có cuộc trò chuyện này.", { expose: true });
    return h;
  }

  async function linesOf(h: HandoffRow) {
    return (await desk.transcript(h.id)).map((l) => ({
      seq: l.seq,
      author: AUTHOR[l.author],
      who: l.author,
      staff: l.staffName ?? "",
      at: vnTime(l.at),
      text: l.text,
      delivery: deliveryText(l.delivery),
      deliveryStatus: l.delivery?.status ?? "",
    }));
  }

  router.get("/handoffs.json", viewer, async (_req, res) => {
    res.set("Cache-Control", "no-store").json(await lists());
  });

  router.get("/handoffs", viewer, async (_req, res) => {
    const { open, closed } = await lists();
    const main = html`<h1>Trò chuyện với du khách</h1>
      <p>
        Du khách đã nhắn “gặp nhân viên”. Trong lúc chờ, trợ lý tự động không trả lời họ. Danh sách tự cập
        nhật.
      </p>
      <table class="admin-table">
        <caption>
          Đang chờ nhân viên
        </caption>
        <thead>
          <tr>
            <th scope="col">Bắt đầu (giờ VN)</th>
            <th scope="col">Kênh</th>
            <th scope="col">Tin nhắn cuối của du khách</th>
            <th scope="col">Nhân viên trả lời lần cuối</th>
            <th scope="col">Trả lại trợ lý lúc</th>
            <th scope="col">Mở</th>
          </tr>
        </thead>
        <tbody id="handoff-rows" data-poll="/admin/handoffs.json" aria-live="polite">
          ${
            open.length
              ? open.map(row)
              : html`<tr>
                  <td colspan="6">Không có ai đang chờ.</td>
                </tr>`
          }
        </tbody>
      </table>
      <table class="admin-table">
        <caption>
          Đã kết thúc gần đây
        </caption>
        <thead>
          <tr>
            <th scope="col">Bắt đầu (giờ VN)</th>
            <th scope="col">Kênh</th>
            <th scope="col">Tin nhắn cuối của du khách</th>
            <th scope="col">Nhân viên trả lời lần cuối</th>
            <th scope="col">Kết thúc lúc</th>
            <th scope="col">Mở</th>
          </tr>
        </thead>
        <tbody>
          ${
            closed.length
              ? closed.map(row)
              : html`<tr>
                  <td colspan="6">Chưa có.</td>
                </tr>`
          }
        </tbody>
      </table>`;
    send(res, "Trò chuyện với du khách", main);
  });

  router.get("/handoffs/:id.json", viewer, async (req, res) => {
    const h = await found(req);
    res
      .set("Cache-Control", "no-store")
      .json({ ...summary(h, desk.quietDeadline(h)), status: h.status, lines: await linesOf(h) });
  });

  router.get("/handoffs/:id", viewer, async (req, res) => {
    const h = await found(req);
    await page(res, h);
  });

  async function page(res: Response, h: HandoffRow, problem?: string, draft = ""): Promise<void> {
    const user = res.locals.adminUser as AdminUser;
    const s = summary(h, desk.quietDeadline(h));
    const lines = await linesOf(h);
    const csrf = res.locals.csrfToken as string;
    const canAct = user.role === "editor" && h.status === "open";
    const main = html`<p><a href="/admin/handoffs">← Trò chuyện với du khách</a></p>
      <h1>Trò chuyện qua ${s.channel}</h1>
      <dl class="handoff-facts">
        <dt>Bắt đầu</dt>
        <dd>${s.started} (giờ Việt Nam)</dd>
        <dt>Ngôn ngữ</dt>
        <dd>${h.lang === "vi" ? "Tiếng Việt" : "Tiếng Anh"}</dd>
        <dt>Trạng thái</dt>
        <dd id="handoff-status">${s.status}</dd>
        <dt>${h.status === "open" ? "Trả lại trợ lý nếu không ai trả lời, lúc" : "Kết thúc lúc"}</dt>
        <dd>${s.backToBot}</dd>
      </dl>
      <h2>Nội dung</h2>
      <ol class="transcript" id="transcript" data-poll="/admin/handoffs/${h.id}.json" aria-live="polite">
        ${lines.map(
          (l) =>
            html`<li class="line ${l.who}">
              <p class="meta">
                <strong>${l.author}${l.staff ? ` (${l.staff})` : ""}</strong> · <span>${l.at}</span>
              </p>
              <p class="text">${l.text}</p>
              ${l.delivery ? html`<p class="delivery ${l.deliveryStatus}">${l.delivery}</p>` : ""}
            </li>`,
        )}
      </ol>
      ${
        canAct
          ? html`<form method="post" action="/admin/handoffs/${h.id}/reply" class="handoff-reply">
                <input type="hidden" name="_csrf" value="${csrf}" />
                <input type="hidden" name="nonce" value="${randomBytes(12).toString("base64url")}" />
                <label for="reply-text">Trả lời du khách</label>
                ${problem ? html`<p class="form-error" id="reply-error" role="alert">${problem}</p>` : ""}
                <textarea
                  id="reply-text"
                  name="text"
                  rows="4"
                  maxlength="2000"
                  required
                  ${problem ? html`aria-describedby="reply-error" aria-invalid="true"` : ""}
                >
${draft}</textarea>
                <button type="submit">Gửi</button>
              </form>
              <form method="post" action="/admin/handoffs/${h.id}/end" class="handoff-end">
                <input type="hidden" name="_csrf" value="${csrf}" />
                <button type="submit">Kết thúc, trả lại trợ lý</button>
              </form>`
          : h.status === "open"
            ? html`<p>Chỉ tài khoản biên tập mới trả lời được.</p>`
            : html`<p>Cuộc trò chuyện đã kết thúc.</p>`
      }`;
    send(res.status(problem ? 400 : 200), `Trò chuyện qua ${s.channel}`, main);
  }

  router.post("/handoffs/:id/reply", editor, async (req, res) => {
    const h = await found(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = typeof body.text === "string" ? body.text : "";
    const nonce = typeof body.nonce === "string" ? body.nonce : "";
    const user = res.locals.adminUser as AdminUser;
    try {
      const { delivery } = await desk.reply(h.id, user.name, text, nonce);
      await deps.audit.record({
        user: user.name,
        action: "handoff.reply",
        target: h.id,
        detail: `${h.channel}: ${delivery.status}`,
      });
    } catch (err) {
      if (err instanceof AppError && err.code === "bad_request:handoff")
        return page(
          res,
          h,
          err.message === "the reply is empty" ? "Hãy viết câu trả lời." : err.message,
          text,
        );
      throw err;
    }
    res.redirect(303, `/admin/handoffs/${h.id}`);
  });

  router.post("/handoffs/:id/end", editor, async (req, res) => {
    const h = await found(req);
    const user = res.locals.adminUser as AdminUser;
    if (await desk.end(h.id, `staff:${user.name}`))
      await deps.audit.record({ user: user.name, action: "handoff.end", target: h.id });
    res.redirect(303, `/admin/handoffs/${h.id}`);
  });

  function send(res: Response, title: string, main: ReturnType<typeof html>): void {
    res
      .set("Cache-Control", "no-store")
      .type("html")
      .send(
        adminLayout(
          {
            title,
            section: "handoffs",
            user: res.locals.adminUser,
            csrfToken: res.locals.csrfToken,
            scripts: ["handoffs.js"],
          },
          main,
        ),
      );
  }

  return router;
}

function row(s: Summary) {
  return html`<tr>
    <td>${s.started}</td>
    <td>${s.channel}</td>
    <td>${s.lastUser}</td>
    <td>${s.lastStaff}</td>
    <td>${s.backToBot}</td>
    <td><a href="${s.url}">Xem và trả lời</a></td>
  </tr>`;
}
