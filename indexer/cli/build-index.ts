/**
 * `npm run index [-- --force] [-- --allow-shrink]`: validates content/ and builds the index into a new
 * version folder, then switches it in atomically. Skips the build when the live index already matches
 * the content. A build that must not replace the live index (invalid or missing content, no entries,
 * more than half of the live entries gone without --allow-shrink) prints why and exits 1.
 */
import { parseArgs } from "node:util";
import { AppError } from "../errors.ts";
import { loadDotEnv, readIndexerConfig } from "./config.ts";
import { buildFromConfig, isConfiguredIndexUpToDate } from "./fresh-index.ts";

const { values } = parseArgs({
  options: {
    force: { type: "boolean", default: false },
    /** Confirms a build that drops more than half of the live index's entries. */
    "allow-shrink": { type: "boolean", default: false },
  },
});
loadDotEnv();
const config = readIndexerConfig();
try {
  if (!values.force && (await isConfiguredIndexUpToDate(config))) {
    console.log(`index is up to date with ${config.contentDir} (use --force to rebuild)`);
  } else {
    const result = await buildFromConfig(config, { allowShrink: values["allow-shrink"] });
    const m = result.manifest;
    console.log(
      `index ${m.version}: ${m.counts.entries} entries, ${m.counts.chunks} passages, ${m.counts.terms} terms, ` +
        `embedder ${m.embedder.id}, built in ${m.buildMs} ms → ${result.dir}`,
    );
  }
} catch (e) {
  if (e instanceof AppError) {
    console.error(e.message);
    if (e.code === "content_invalid") console.error("nothing was written; the previous index stays live");
    process.exit(1);
  }
  throw e;
}
