import { Router } from "express";
import type { AppDeps } from "../app.ts";

/** The JSON API under /api (stub: being written). */
export function apiRouter(_deps: AppDeps): Router {
  return Router();
}
