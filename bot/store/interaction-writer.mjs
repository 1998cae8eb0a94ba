// The SQLite store's writer thread (see sqlite-store.ts): inserts batches of interactions on its own
// connection, so that neither the inserts nor SQLite's checkpoints (which wait for the disk) run on the
// server's event loop. Plain JavaScript: it needs no TypeScript loader in the thread.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { file, sql, busyTimeoutMs } = workerData;
const db = new Database(file);
db.pragma("synchronous = NORMAL");
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
const insert = db.prepare(sql);
const insertAll = db.transaction((rows) => {
  for (const row of rows) insert.run(row);
});

parentPort.on("message", (message) => {
  if (message.type === "close") {
    db.close();
    parentPort.close();
    return;
  }
  const { rows } = message;
  let errors = null;
  try {
    insertAll(rows);
  } catch {
    // The batch was rolled back: write its rows one by one, so that one bad row loses only itself.
    errors = rows.map((row) => {
      try {
        insert.run(row);
        return null;
      } catch (error) {
        return {
          code: typeof error?.code === "string" ? error.code : null,
          message: String(error?.message ?? error),
        };
      }
    });
  }
  parentPort.postMessage({ errors });
});
