import type { Node, NodeAPI, NodeDef } from "node-red";
import { awaitsEnvironment, parseAccountConfig, type AccountSettings } from "../../lib/cloudflare/account-config";
import { CloudflareClient } from "../../lib/cloudflare/client";

interface AccountDef extends NodeDef {
  accountId?: string;
  baseUrl?: string;
}

interface Credentials {
  token?: string;
}

/** The config node as the nodes that name it see it. */
export interface AccountNode extends Node<Credentials> {
  /** The account's API client, sharing the account's rate budget; null when `problem` says why not. */
  client: CloudflareClient | null;
  /** Why the account cannot be used (never quoting the token), or null. */
  problem: string | null;
  /** The validated settings, for clients built elsewhere (Cloudflare Intel); null with `problem`. */
  settings: AccountSettings | null;
}

export type AccountRef = { client: CloudflareClient; problem: null } | { client: null; problem: string };

/**
 * The client of the `ztna-account` config node with id `id`, or why there is none: for a node's
 * constructor, to show the reason in its status instead of failing on every message.
 */
export function accountFor(RED: NodeAPI, id: unknown): AccountRef {
  const node = accountNode(RED, id);
  if (!node) return { client: null, problem: NO_ACCOUNT };
  return node.client ? { client: node.client, problem: null } : { client: null, problem: node.problem ?? UNUSABLE };
}

/** The validated settings of the `ztna-account` config node with id `id`, or why there are none. */
export function accountSettingsFor(RED: NodeAPI, id: unknown): { settings: AccountSettings; problem: null } | { settings: null; problem: string } {
  const node = accountNode(RED, id);
  if (!node) return { settings: null, problem: NO_ACCOUNT };
  return node.settings ? { settings: node.settings, problem: null } : { settings: null, problem: node.problem ?? UNUSABLE };
}

const NO_ACCOUNT = "no Cloudflare account configured";
const UNUSABLE = "Cloudflare account is not usable";

function accountNode(RED: NodeAPI, id: unknown): AccountNode | null {
  const node = typeof id === "string" && id !== "" ? (RED.nodes.getNode(id) as AccountNode | null) : null;
  return node && node.type === "ztna-account" ? node : null;
}

export default function (RED: NodeAPI) {
  function AccountConfigNode(this: AccountNode, def: AccountDef) {
    RED.nodes.createNode(this, def);
    const parsed = parseAccountConfig({ accountId: def.accountId, baseUrl: def.baseUrl, token: this.credentials?.token });
    if (!parsed.ok) {
      this.client = null;
      this.settings = null;
      this.problem = parsed.error;
      if (awaitsEnvironment(parsed.error)) this.warn(`Cloudflare account not configured yet: ${parsed.error}`);
      else this.error(`invalid Cloudflare account configuration: ${parsed.error}`);
      return;
    }
    this.problem = null;
    this.settings = parsed.value;
    // The client's default budget is the process-wide one of this account and API root, so every
    // config node naming the account, and this one after a redeploy, draw on the same budget.
    this.client = new CloudflareClient(parsed.value);
  }

  RED.nodes.registerType<AccountNode, AccountDef, object, Credentials>("ztna-account", AccountConfigNode, {
    credentials: {
      token: { type: "password" },
    },
  });
}
