import { createServer } from "node:net";

/**
 * A port on `host` that nothing listens on (it was free a moment ago): connecting to it is refused,
 * as when a provider is down. Another process could take it in between; on a test machine that is
 * rare enough.
 */
export async function reserveClosedPort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
