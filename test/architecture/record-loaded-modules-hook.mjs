// A module hook for serve-loaded-modules.ts (it runs on Node's hooks thread, so plain JavaScript):
// posts the URL of every file module resolved, and answers "flush" once all earlier URLs are posted.
let port;

export function initialize(data) {
  port = data.port;
  port.on("message", (message) => {
    if (message === "flush") port.postMessage({ flushed: true });
  });
  port.unref();
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.startsWith("file:")) port.postMessage({ url: resolved.url });
  return resolved;
}
