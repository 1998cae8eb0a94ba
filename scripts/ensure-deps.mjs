#!/usr/bin/env node
// Runs before `npm start` and `npm run check` so that a fresh clone needs no separate install step:
// installs the locked dependencies when node_modules is missing or older than package-lock.json.
// Plain JavaScript with no imports beyond Node, because it runs before anything is installed.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs + 1000;
if (stale) {
  console.error("installing dependencies (npm ci) ...");
  execSync("npm ci", {
    stdio: "inherit",
    env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? "/usr" },
  });
}
