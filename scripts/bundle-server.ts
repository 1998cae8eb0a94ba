/**
 * `npm start` runs the server as one JavaScript file that esbuild writes from the TypeScript sources in
 * about a third of a second (the `prestart` script), instead of compiling each module at start with tsx:
 * tsx's loader keeps a second V8 isolate alive for the life of the process, about 60 MB of the server's
 * resident memory. Packages stay outside the bundle (node_modules is used as installed).
 *
 * `tsx scripts/bundle-server.ts [entry] [outfile]`; by default web/main.ts → dist/server.mjs.
 */
import { build, type Plugin } from "esbuild";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const SERVER_BUNDLE = path.join(ROOT, "dist", "server.mjs");

/**
 * Modules find their files next to them (web/public, the widget's source, the admin's static files) with
 * import.meta.dirname and import.meta.url. In one bundled file those would all point at dist/, so each
 * module's own values are written in as constants.
 */
const modulePaths: Plugin = {
  name: "module-paths",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const source = await readFile(file, "utf8");
      return {
        loader: "ts",
        contents: source
          .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(file)))
          .replaceAll("import.meta.filename", JSON.stringify(file))
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(file).href)),
      };
    });
  },
};

/**
 * Bundles a server entry point into one ES module with a source map. The output must lie inside the
 * project, so that Node resolves the packages left outside it from the project's node_modules.
 */
export async function bundleServer(entry: string, outfile: string): Promise<void> {
  const relative = path.relative(ROOT, outfile);
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw new Error(`the bundle must be written inside ${ROOT}, not to ${outfile}`);
  await build({
    entryPoints: [entry],
    // Split, so that what the server imports on first use only (the LangChain model path) stays in a
    // chunk of its own and its packages load when it does: one file per entry, chunks beside it.
    outdir: path.dirname(outfile),
    entryNames: path.basename(outfile, ".mjs"),
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    plugins: [modulePaths],
    logLevel: "warning",
  });
}

if (import.meta.filename === process.argv[1]) {
  const [entry = path.join(ROOT, "web", "main.ts"), outfile = SERVER_BUNDLE] = process.argv.slice(2);
  const started = performance.now();
  await bundleServer(path.resolve(entry), path.resolve(outfile));
  const ms = Math.round(performance.now() - started);
  console.error(`bundled ${path.relative(ROOT, entry)} → ${path.relative(ROOT, outfile)} (${ms} ms)`);
}
