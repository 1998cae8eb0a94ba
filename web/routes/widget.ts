import { Router } from "express";
import type { AppDeps } from "../app.ts";

/** Serves /widget.js (stub: being written). */
export function widgetRouter(_deps: AppDeps): Router {
  return Router();
}
