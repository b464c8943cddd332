import http from "node:http";
import { gunzipSync, gzipSync, createGzip } from "node:zlib";
import { post } from "../lib/cli/http-post";
import { gatewayHttpNdjson, gatewayHttpRecord } from "../lib/synthetic/gateway-http";
import type { BenchServer } from "./node-red-server";

export interface Rate {
  records: number;
  seconds: number;
  perSecond: number;
  mbPerSecond: number;
}

/** 1000-record gzip NDJSON bodies of ~1 KB gateway_http records, as Logpush would send them. */
export function logpushBodies(count: number, recordsPerBody: number, firstRecord = 0): { bodies: Buffer[]; rawBytes: number } {
  const bodies: Buffer[] = [];
  let rawBytes = 0;
  for (let i = 0; i < count; i++) {
    const text = Buffer.from(gatewayHttpNdjson(recordsPerBody, firstRecord + i * recordsPerBody));
    rawBytes += text.length;
    bodies.push(gzipSync(text));
  }
  return { bodies, rawBytes };
}

/** The bare cost the webhook is measured against: gunzip and JSON.parse of every line, in-process. */
export function bareParse(bodies: Buffer[], rawBytes: number): Rate {
  const start = process.hrtime.bigint();
  let records = 0;
  for (const body of bodies) {
    const text = gunzipSync(body).toString("utf8");
    for (const line of text.split("\n")) {
      if (line.length === 0) continue;
      JSON.parse(line);
      records++;
    }
  }
  return rate(records, rawBytes, start);
}

/** Every body POSTed to the webhook by `senders` concurrent senders; counts what was emitted. */
export async function webhookThroughput(server: BenchServer, secret: string, bodies: Buffer[], rawBytes: number, senders: number): Promise<Rate> {
  const url = new URL(server.url("/cloudflare/logpush/gateway_http"));
  const headers = { authorization: `Bearer ${secret}`, "content-encoding": "gzip", "content-type": "application/x-ndjson" };
  let next = 0;
  let emitted = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < bodies.length) {
        const answer = await post(url, headers, bodies[next++], 60_000);
        if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.excerpt}`);
        emitted += Number(JSON.parse(answer.excerpt).emitted);
      }
    }),
  );
  return rate(emitted, rawBytes, start);
}

/**
 * One upload of `records` records (about 1.2 KB each), gzipped as it is generated and streamed in
 * chunks, so neither side ever holds it whole. Returns what the webhook answered.
 */
export async function streamLargeUpload(server: BenchServer, secret: string, records: number): Promise<{ status: number; body: string; rawBytes: number }> {
  let rawBytes = 0;
  return new Promise((resolve, reject) => {
    const req = http.request(server.url("/cloudflare/logpush/gateway_http"), {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-encoding": "gzip", "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, rawBytes }));
    });
    req.on("error", reject);
    const gzip = createGzip();
    gzip.pipe(req);
    let i = 0;
    const pump = () => {
      while (i < records) {
        let chunk = "";
        for (let k = 0; k < 500 && i < records; k++, i++) chunk += `${JSON.stringify(gatewayHttpRecord(i))}\n`;
        rawBytes += Buffer.byteLength(chunk);
        if (!gzip.write(chunk)) {
          gzip.once("drain", pump);
          return;
        }
      }
      gzip.end();
    };
    pump();
  });
}

export function rate(records: number, rawBytes: number, start: bigint): Rate {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { records, seconds, perSecond: records / seconds, mbPerSecond: rawBytes / 1e6 / seconds };
}
