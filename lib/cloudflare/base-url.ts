export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

/** The same API root however it was typed: paths are appended with their own leading slash. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, "");
}
