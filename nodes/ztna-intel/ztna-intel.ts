import type { Node, NodeAPI, NodeDef } from "node-red";
import { createLocalProviders, problemText, type IntelProvider } from "../../lib/intel";
import { intelConfigOf, type IntelAccount, type IntelKeys, type IntelNodeInput } from "../../lib/intel/intel-config";
import { createRemoteProviders } from "../../lib/intel/remote";
import { accountSettingsFor } from "../ztna-account/ztna-account";

interface IntelDef extends NodeDef, IntelNodeInput {
  account?: string;
}

/** What enrich nodes share: one set of providers, so caches, rate limits and quotas are shared. */
export interface Intel {
  providers: IntelProvider[];
  ownDomains: string[];
  ownNetworks: string[];
}

interface IntelNode extends Node<IntelKeys> {
  intel: Intel | null;
  problem: string | null;
}

export type IntelRef = { intel: Intel; problem: null } | { intel: null; problem: string };

/** The providers of the `ztna-intel` config node with id `id`, or why there are none. */
export function intelFor(RED: NodeAPI, id: unknown): IntelRef {
  const node = typeof id === "string" && id !== "" ? (RED.nodes.getNode(id) as IntelNode | null) : null;
  if (!node || node.type !== "ztna-intel") return { intel: null, problem: "no threat-intel configuration chosen" };
  return node.intel ? { intel: node.intel, problem: null } : { intel: null, problem: node.problem ?? "threat-intel configuration is not usable" };
}

export default function (RED: NodeAPI) {
  function IntelConfigNode(this: IntelNode, def: IntelDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    node.intel = null;
    node.problem = null;
    let account: IntelAccount | null = null;
    if (def.cloudflare === true || def.cloudflare === "true") {
      const ref = accountSettingsFor(RED, def.account);
      if (ref.settings) account = ref.settings;
      else node.warn(`Cloudflare Intel is switched on but ${ref.problem}; it will be skipped`);
    }
    const refuse = (reason: string) => {
      node.problem = `invalid threat-intel configuration: ${reason}`;
      node.error(node.problem);
    };
    const config = intelConfigOf(def, node.credentials ?? {}, account);
    if (!config.ok) return refuse(config.error);
    const remote = createRemoteProviders(config.value.remote);
    if (!remote.ok) return refuse(remote.error);
    let local: ReturnType<typeof createLocalProviders>;
    try {
      local = createLocalProviders(config.value.local, {
        onFiles: (provider, changes) => {
          for (const c of changes) for (const p of c.problems) node.warn(`${provider}: ${problemText(p)}`);
        },
        onFeed: (report) => {
          if (report.outcome === "failed") node.warn(`${report.provider}: download of ${report.url} failed (${report.error ?? "no reason given"}); matching goes on with the last good copy, if there is one`);
        },
      });
    } catch (err) {
      return refuse((err as Error).message);
    }
    const providers = [...local.providers, ...remote.value];
    node.intel = { providers, ownDomains: local.ownDomains, ownNetworks: local.ownNetworks };

    node.on("close", (done: () => void) => {
      Promise.allSettled([local.close(), ...remote.value.map((p) => p.close())]).then(() => done());
    });
  }

  RED.nodes.registerType<IntelNode, IntelDef, object, IntelKeys>("ztna-intel", IntelConfigNode, {
    credentials: {
      abuseipdbKey: { type: "password" },
      greynoiseKey: { type: "password" },
      virustotalKey: { type: "password" },
      otxKey: { type: "password" },
      abusechKey: { type: "password" },
    },
  });
}
