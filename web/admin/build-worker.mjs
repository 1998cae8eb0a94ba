// Entry of the index-build worker thread (see index-builder.ts). A worker does not inherit the
// TypeScript loader of the thread that started it, so it registers tsx before loading the build code;
// this holds whether the server runs from its esbuild bundle (npm start) or from source (tests, dev).
import { register } from "tsx/esm/api";

register();
await import("./build-worker.ts");
