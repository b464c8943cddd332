import type { IncomingMessage, ServerResponse } from "node:http";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Layer {
  route?: { path: string; stack: Array<{ handle: unknown }> };
}

/** The part of Node-RED's `RED.httpNode` (an Express app) this module relies on. */
export interface HttpApp {
  post(path: string, handler: Handler): unknown;
  _router?: { stack: Layer[] };
  router?: { stack: Layer[] };
}

/**
 * Registers POST routes and returns the function that removes exactly them. Express 4 has no
 * route removal, so the layers holding our handlers are spliced out of the router stack, as
 * Node-RED's own `http in` node does; a redeploy must not leave the old handler answering.
 */
export function addPostRoutes(app: HttpApp, routes: Array<[string, Handler]>): () => void {
  const handlers = new Set<unknown>();
  for (const [path, handler] of routes) {
    handlers.add(handler);
    app.post(path, handler);
  }
  return () => {
    const stack = (app._router ?? app.router)?.stack;
    if (!stack) return;
    for (let i = stack.length - 1; i >= 0; i--) {
      const route = stack[i].route;
      if (route && route.stack.some((s) => handlers.has(s.handle))) stack.splice(i, 1);
    }
  };
}
