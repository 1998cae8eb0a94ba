import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts a test server on a free port of 127.0.0.1; resolves with its origin, "http://127.0.0.1:PORT". */
export function listenLocal(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

/** Closes a test server at once: keep-alive connections (fetch keeps them) are ended, not waited for. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
