/**
 * Whether a message payload is an alert (DESIGN §3.5) rather than some other object: the nodes
 * downstream of detection take alerts and pass anything else on untouched.
 */
export function isAlert(payload: unknown): payload is Record<string, unknown> {
  return isRecord(payload) && isRecord(payload.rule) && isRecord(payload.evidence);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
