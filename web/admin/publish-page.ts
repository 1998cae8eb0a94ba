import { Router } from "express";
import { html } from "../views/html.ts";
import { adminLayout } from "./layout.ts";
import type { AdminDeps, AdminUser, PublishResult } from "./types.ts";

type LastPublish = PublishResult & { at: string; reason: string };

/** The publish status as /admin/publish.json gives it (the editor polls it for its "publishing…" notice). */
export type PublishStatus = {
  running: boolean;
  live: { version: string; entries: number; builtAt: string };
  last?: LastPublish;
};

const TIME = new Intl.DateTimeFormat("vi-VN", {
  timeZone: "Asia/Ho_Chi_Minh",
  dateStyle: "short",
  timeStyle: "medium",
});

/** Why a confirmed reindex ran, in the publish record and the audit log. */
const CONFIRMED_SHRINK = "confirmed: drops more than half of the entries";

/**
 * Publishing: GET /publish shows the live index and the last build (with the content problems when it
 * failed); POST /reindex (editors) rebuilds from content/, with `confirm=shrink` also a build that drops
 * more than half of the live entries (the page offers that step after such a build was refused);
 * GET /publish.json is the same status as JSON.
 */
export function publishRouter(deps: AdminDeps): Router {
  const router = Router();

  const statusOf = (): PublishStatus => {
    const { manifest } = deps.live().index;
    const { running, last } = deps.publisher.status();
    return {
      running,
      live: { version: manifest.version, entries: manifest.counts.entries, builtAt: manifest.builtAt },
      ...(last ? { last } : {}),
    };
  };

  router.get("/publish.json", deps.auth.require("viewer"), (_req, res) => {
    res.set("Cache-Control", "no-store").json(statusOf());
  });

  router.get("/publish", deps.auth.require("viewer"), (_req, res) => {
    const user = res.locals.adminUser as AdminUser;
    const csrfToken = res.locals.csrfToken as string;
    res
      .set("Cache-Control", "no-store")
      .send(
        adminLayout(
          { title: "Xuất bản", section: "publish", user, csrfToken, scripts: ["publish.js"] },
          publishPage(statusOf(), user, csrfToken),
        ),
      );
  });

  router.post("/reindex", deps.auth.require("editor"), async (req, res) => {
    const user = res.locals.adminUser as AdminUser;
    const confirmed = (req.body as { confirm?: unknown } | undefined)?.confirm === "shrink";
    // Not awaited: the build takes seconds; the page and publish.json report how it went.
    deps.publisher
      .publish(
        confirmed ? `manual reindex, ${CONFIRMED_SHRINK}` : "manual reindex",
        confirmed ? { allowShrink: true } : {},
      )
      .catch((err: unknown) => deps.log.error({ err }, "publish: manual reindex failed"));
    try {
      await deps.audit.record({
        user: user.name,
        action: "reindex",
        ...(confirmed ? { detail: CONFIRMED_SHRINK } : {}),
      });
    } catch (err) {
      deps.log.error({ err }, "audit: could not record the reindex");
    }
    if (req.accepts(["html", "json"]) === "json") return void res.status(202).json({ status: "started" });
    res.redirect(303, "/admin/publish");
  });

  return router;
}

function publishPage(status: PublishStatus, user: AdminUser, csrfToken: string) {
  const { live, last, running } = status;
  return html`<h1>Xuất bản</h1>
    <section aria-labelledby="live-heading">
      <h2 id="live-heading">Chỉ mục đang dùng</h2>
      <dl class="publish-live">
        <dt>Phiên bản</dt>
        <dd><code>${live.version}</code></dd>
        <dt>Số mục nội dung</dt>
        <dd>${live.entries}</dd>
        <dt>Xây dựng lúc</dt>
        <dd><time datetime="${live.builtAt}">${formatTime(live.builtAt)}</time></dd>
      </dl>
    </section>
    <section aria-labelledby="build-heading">
      <h2 id="build-heading">Lần xuất bản gần nhất</h2>
      <p class="publish-running" data-running="${running ? "true" : "false"}" role="status">
        ${running ? "Đang xây dựng lại chỉ mục…" : "Không có lần xây dựng nào đang chạy."}
      </p>
      ${last ? lastPublish(last) : html`<p>Chưa xuất bản lần nào kể từ khi máy chủ khởi động.</p>`}
      ${last && !last.ok && last.shrink && shrinkStep(last.shrink, user, csrfToken)}
    </section>
    ${
      user.role === "editor"
        ? html`<form method="post" action="/admin/reindex" class="publish-form">
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <p>
              Xây dựng lại chỉ mục từ thư mục nội dung. Nếu nội dung có lỗi, chỉ mục hiện tại vẫn được giữ.
            </p>
            <button type="submit">Xuất bản lại</button>
          </form>`
        : html`<p>Chỉ người biên tập mới xuất bản lại được.</p>`
    }`;
}

function lastPublish(last: LastPublish) {
  return html`<dl class="publish-last">
      <dt>Thời gian</dt>
      <dd><time datetime="${last.at}">${formatTime(last.at)}</time></dd>
      <dt>Lý do</dt>
      <dd>${last.reason}</dd>
      <dt>Thời lượng</dt>
      <dd>${(last.ms / 1000).toFixed(1)} giây</dd>
      <dt>Kết quả</dt>
      <dd class="${last.ok ? "publish-ok" : "publish-failed"}">
        ${
          last.ok
            ? html`Thành công: phiên bản <code>${last.version}</code>, ${last.entries} mục.`
            : html`Thất bại, chỉ mục cũ vẫn đang dùng.
              ${last.problems.length > 0 ? `Nội dung có ${last.problems.length} lỗi.` : last.error}`
        }
      </dd>
    </dl>
    ${
      !last.ok &&
      last.problems.length > 0 &&
      html`<h3>Lỗi trong nội dung</h3>
        <ul class="publish-problems">
          ${last.problems.map((p) => html`<li><code>${p}</code></li>`)}
        </ul>`
    }`;
}

/** After a build refused for dropping most entries: what it would do, and (editors) the confirm step. */
function shrinkStep(
  shrink: { live: number; next: number; dropped: number },
  user: AdminUser,
  csrfToken: string,
) {
  const what = html`<p class="publish-shrink">
    Lần xây dựng này sẽ bỏ ${shrink.dropped} trong ${shrink.live} mục của chỉ mục đang dùng (hơn một nửa), chỉ
    còn ${shrink.next} mục, nên chưa được xuất bản. Thư mục nội dung có thể đang thiếu tệp (một lần triển khai
    hay git checkout dở dang).
  </p>`;
  if (user.role !== "editor") return what;
  return html`${what}
    <form method="post" action="/admin/reindex" class="publish-confirm">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <input type="hidden" name="confirm" value="shrink" />
      <p>
        Nếu đúng là các mục đó cần bỏ đi, hãy xác nhận: chỉ mục mới sẽ bỏ ${shrink.dropped} trong
        ${shrink.live} mục và còn ${shrink.next} mục.
      </p>
      <button type="submit">Xác nhận xuất bản</button>
    </form>`;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}
