/**
 * A TCP proxy in front of a test PostgreSQL, for tests of a database that stops answering: `silence()`
 * keeps every connection open but forwards nothing more (a server hung, a network dropping packets),
 * `cut()` ends every connection and refuses new ones (a server down).
 */
import net from "node:net";

export type TcpProxy = {
  /** The database's URL through the proxy. */
  url: string;
  silence(): void;
  cut(): void;
  close(): Promise<void>;
};

export async function tcpProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  let mode: "open" | "silent" | "cut" = "open";
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (mode === "cut") return void client.destroy();
    if (mode === "silent") return;
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    // Forwarded by hand, so that silence() can stop it mid-connection.
    client.on("data", (d) => void (mode === "open" && upstream.write(d)));
    upstream.on("data", (d) => void (mode === "open" && client.write(d)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    silence: () => void (mode = "silent"),
    cut() {
      mode = "cut";
      for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
