// The V8 settings `npm start` runs Node-RED with, and the benchmark measures under beside Node's
// defaults. README "Performance" says how to give them to a Node-RED of your own.
"use strict";

/**
 * A young generation of up to 64 MiB per semi-space instead of Node's 16. A Logpush batch is a few
 * MB of raw records and events that stay alive until detection is done with it; in a small young
 * generation every scavenge copies the live part of a batch and promotes most of it, and garbage
 * collection took about a third of parse + detect. With this it takes a few per cent. The price is
 * up to 128 MiB more memory at peak.
 */
const V8_FLAGS = ["--max-semi-space-size=64"];

module.exports = { V8_FLAGS };
