// The shards of a fan-out run: a terminal table (`s3ap accounts`), Markdown (the Action's job
// summary) and the matrix JSON GitHub Actions takes.
import type { Shard, ShardMatrix } from "../reconcile/types.js";
import { jsonDocument } from "./sinks/json.js";
import { markdownCode, markdownText } from "./sinks/markdown.js";
import { terminalText } from "./sinks/terminal.js";

export function renderShardsText(shards: readonly Shard[]): string {
  const width = shards.reduce((widest, s) => Math.max(widest, s.shard.length), 5);
  const lines = [`${"SHARD".padEnd(width)}  ACCESS POINTS  REGIONS`];
  for (const shard of shards) {
    lines.push(
      `${terminalText(shard.shard.padEnd(width))}  ${String(shard.accessPoints).padStart(13)}  ${terminalText(shard.regions.join(", "))}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function renderShardsMarkdown(shards: readonly Shard[]): string {
  return [
    "## s3ap shards",
    "",
    `${shards.length} shard(s), one matrix job each.`,
    "",
    "| Shard | Access points | Regions |",
    "|---|---|---|",
    ...shards.map(
      (s) =>
        `| ${markdownCode(s.shard)} | ${s.accessPoints} | ${markdownText(s.regions.join(", "))} |`,
    ),
    "",
  ].join("\n");
}

/** One line, so a workflow step can write it to GITHUB_OUTPUT as it is. */
export function renderShardMatrix(shards: readonly Shard[]): string {
  return jsonDocument({ include: [...shards] } satisfies ShardMatrix, 0);
}
