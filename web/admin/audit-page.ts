import { Router } from "express";
import { html } from "../views/html.ts";
import { adminLayout } from "./layout.ts";
import type { AdminDeps } from "./types.ts";

/** GET /admin/audit: who changed what and when, newest first (viewers can read it). */
export function auditRouter(deps: AdminDeps): Router {
  const router = Router();
  router.get("/audit", deps.auth.require("viewer"), async (_req, res) => {
    const rows = await deps.audit.list({ limit: 500 });
    const main = html`<h1>Nhật ký thay đổi</h1>
      <table class="admin-table">
        <caption>
          500 thay đổi gần nhất, mới nhất trước
        </caption>
        <thead>
          <tr>
            <th scope="col">Thời điểm (UTC)</th>
            <th scope="col">Người dùng</th>
            <th scope="col">Việc</th>
            <th scope="col">Đối tượng</th>
            <th scope="col">Chi tiết</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td>${r.at.replace("T", " ").slice(0, 19)}</td>
                <td>${r.user}</td>
                <td>${r.action}</td>
                <td>${r.target ?? ""}</td>
                <td>${r.detail ?? ""}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    res
      .set("Cache-Control", "no-store")
      .type("html")
      .send(
        adminLayout(
          {
            title: "Nhật ký thay đổi",
            section: "audit",
            user: res.locals.adminUser,
            csrfToken: res.locals.csrfToken,
          },
          main,
        ),
      );
  });
  return router;
}
