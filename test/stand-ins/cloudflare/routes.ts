import type { StandInData } from "./data";
import type { ApiRequest, Reply } from "./http";

export type Handler = (req: ApiRequest, data: StandInData) => Reply;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** Method + path pattern (`/accounts/:account/devices/:device_id`) → handler; the first match wins. */
export class RouteTable {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | null {
    const parts = path.split("/").filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = route.segments.every((seg, i) => {
        if (seg.startsWith(":")) {
          params[seg.slice(1)] = decodeURIComponent(parts[i]);
          return true;
        }
        return seg === parts[i];
      });
      if (fits) return { handler: route.handler, params };
    }
    return null;
  }
}
