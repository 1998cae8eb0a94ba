import { Router } from "express";
import type { AppDeps } from "../app.ts";

/** The server-rendered portal (stub: being written). */
export function portalRouter(_deps: AppDeps): Router {
  return Router();
}
