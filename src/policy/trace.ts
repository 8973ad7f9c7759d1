/**
 * Records what canonicalization rewrote, so `equivalent` can explain why two different texts
 * mean the same. `key` identifies the rewrite (two documents that made the same rewrite in the
 * same place cancel out); `note` is what a user reads.
 */
export type TraceEvents = Array<[key: string, note: string]>;
