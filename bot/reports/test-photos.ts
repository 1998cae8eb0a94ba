import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** For tests: picture bytes (checked by their magic numbers only) and a local photo server. */

export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
export const HTML = Buffer.from("<html><body>not a picture</body></html>");

/** A local "CDN" for platform photos on 127.0.0.1: /ok.jpg, /page.jpg (HTML), /huge.jpg. */
export async function startPhotoServer(): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const body =
      req.url === "/ok.jpg"
        ? JPEG
        : req.url === "/page.jpg"
          ? HTML
          : req.url === "/huge.jpg"
            ? Buffer.alloc(8 * 1024 * 1024, 0xff)
            : undefined;
    res.writeHead(body ? 200 : 404, { "content-type": "image/jpeg" });
    res.end(body ?? "");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
