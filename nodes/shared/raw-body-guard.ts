import type { IncomingMessage, ServerResponse } from "node:http";

interface Layer {
  handle?: unknown;
}

/** The part of Node-RED's `RED.httpAdmin` (an Express app) this module relies on. */
export interface AdminApp {
  use(fn: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown;
  _router?: { stack: Layer[] };
  router?: { stack: Layer[] };
  /** Set by Express on a mounted sub-app. */
  parent?: AdminApp;
}

/**
 * With Node-RED's default settings the admin app and the HTTP nodes share the root "/", and the
 * editor's admin app parses every JSON and form body it sees before the HTTP nodes do. A Logpush
 * upload sent as `application/json` would be swallowed (or refused) there. `RED.httpAdmin` is mounted
 * inside that app, so the guard goes to the front of the outermost app: it marks POSTs to the
 * webhook as already parsed, which body-parser honours by leaving the stream alone. Returns the
 * function that removes the layer.
 */
export function guardRawBodies(httpAdmin: AdminApp | undefined, isWebhookPath: (url: string) => boolean): () => void {
  let admin = httpAdmin;
  while (admin?.parent) admin = admin.parent;
  if (!admin || typeof admin.use !== "function") return () => undefined;
  const guard = (req: IncomingMessage, _res: ServerResponse, next: () => void) => {
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";
    if (req.method === "POST" && isWebhookPath(url.split("?")[0])) (req as { _body?: boolean })._body = true;
    next();
  };
  admin.use(guard);
  const stack = (admin._router ?? admin.router)?.stack;
  if (stack && stack[stack.length - 1]?.handle === guard) stack.unshift(stack.pop()!);
  return () => {
    const s = (admin._router ?? admin.router)?.stack;
    const i = s?.findIndex((l) => l.handle === guard) ?? -1;
    if (s && i >= 0) s.splice(i, 1);
  };
}
