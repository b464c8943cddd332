import { maskOf } from "../../detect/cidr";
import { parseIpAddress } from "../ip-address";
import type { Indicator } from "../types";
import type { IocEntry, IocRecord } from "./ioc-entry";

/** Matches per lookup handed back at most; the rest add nothing an analyst would read. */
const MAX_MATCHES = 20;

/**
 * IOCs by what they match. Exact values sit in one map per indicator type. Ranges sit in one map
 * per prefix length, keyed by the masked network, so an address is looked up with one probe per
 * prefix length in use (at most 33 for IPv4, 129 for IPv6), however many ranges there are and
 * however they nest. Domain trees are probed once per label of the name.
 */
export class IocIndex {
  private readonly exact = new Map<string, Map<string, IocEntry[]>>();
  private readonly v4 = new Map<number, Map<number, IocEntry[]>>();
  private readonly v6 = new Map<number, Map<string, IocEntry[]>>();
  private v4Lengths: number[] = [];
  private v6Lengths: number[] = [];
  private readonly trees = new Map<string, IocEntry[]>();
  private count = 0;

  constructor(records: Iterable<IocRecord> = []) {
    for (const r of records) this.add(r);
  }

  get size(): number {
    return this.count;
  }

  add({ target, entry }: IocRecord): void {
    this.count++;
    switch (target.kind) {
      case "indicator": {
        let byValue = this.exact.get(target.indicator.type);
        if (!byValue) this.exact.set(target.indicator.type, (byValue = new Map()));
        push(byValue, target.indicator.value, entry);
        return;
      }
      case "domain_tree":
        push(this.trees, target.domain, entry);
        return;
      case "network": {
        const { v6, bits, words } = target.network;
        if (v6) {
          let byNet = this.v6.get(bits);
          if (!byNet) {
            this.v6.set(bits, (byNet = new Map()));
            this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
          }
          push(byNet, v6Key(words, bits), entry);
        } else {
          let byNet = this.v4.get(bits);
          if (!byNet) {
            this.v4.set(bits, (byNet = new Map()));
            this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
          }
          push(byNet, words[0], entry);
        }
      }
    }
  }

  /** Entries matching the indicator that are valid at `now`, most specific first. */
  match(indicator: Indicator, now: number): IocEntry[] {
    const found: IocEntry[] = [];
    const take = (entries: IocEntry[] | undefined) => {
      if (!entries) return;
      for (const e of entries) {
        if (found.length >= MAX_MATCHES) return;
        if ((e.validFrom === undefined || e.validFrom <= now) && (e.validUntil === undefined || now < e.validUntil)) found.push(e);
      }
    };
    take(this.exact.get(indicator.type)?.get(indicator.value));
    if (indicator.type === "domain" && this.trees.size > 0) {
      for (let name = indicator.value; ; ) {
        take(this.trees.get(name));
        const dot = name.indexOf(".");
        if (dot < 0) break;
        name = name.slice(dot + 1);
      }
    }
    if ((indicator.type === "ipv4" && this.v4.size > 0) || (indicator.type === "ipv6" && this.v6.size > 0)) {
      const address = parseIpAddress(indicator.value);
      if (address && !address.v6) for (const bits of this.v4Lengths) take(this.v4.get(bits)?.get((address.words[0] & maskOf(bits)) >>> 0));
      if (address?.v6) for (const bits of this.v6Lengths) take(this.v6.get(bits)?.get(v6Key(address.words, bits)));
    }
    return found;
  }
}

function push<K>(map: Map<K, IocEntry[]>, key: K, entry: IocEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

function v6Key(words: Uint32Array, bits: number): string {
  let key = "";
  for (let w = 0; w < 4; w++) key += `${((words[w] & maskOf(bits - w * 32)) >>> 0).toString(16)}:`;
  return key;
}
