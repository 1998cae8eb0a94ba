import { Router } from "express";
import type { AdminDeps } from "./types.ts";

/** Stub: being written. */
export function editorRouter(_deps: AdminDeps): Router {
  return Router();
}
