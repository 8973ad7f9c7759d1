// SIGTERM (a cancelled CI job) during a clone: the temporary clone is removed and no git process
// is left running.
import { mkdtemp, readdir, readFile, realpath, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CLI_PATH, spawnNode } from "../support/cli.js";

let scratch: string;
let server: Server;
let port = 0;
const sockets: Socket[] = [];

beforeAll(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), "s3ap-interrupt-")));
  // Accepts the connection and never answers: the fetch hangs as on a stalled network.
  server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  port = address.port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

/** Command lines of the running processes that mention `needle` (Linux /proc). */
async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(needle)) found.push(cmdline.replaceAll("\0", " "));
  }
  return found;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const tempClones = async () =>
  (await readdir(scratch)).filter((name) => name.startsWith("s3ap-clone-"));

test("SIGTERM during a clone removes the temporary clone and stops git", {
  timeout: 30_000,
}, async () => {
  const url = `http://127.0.0.1:${port}/team/policies-${process.pid}.git`;
  const run = spawnNode(CLI_PATH, ["validate", "--repo", url], {
    cwd: scratch,
    env: { ...process.env, TMPDIR: scratch },
  });
  await until(async () => sockets.length > 0 && (await tempClones()).length > 0, 15_000);
  expect(await processesMentioning(url)).not.toEqual([]);

  run.kill("SIGTERM");
  const result = await run.done;

  expect(result.code).toBe(143);
  expect(await tempClones()).toEqual([]);
  // git's children exit when their parent does; give them the moment that takes.
  await until(async () => (await processesMentioning(url)).length === 0, 5_000).catch(() => {});
  expect(await processesMentioning(url)).toEqual([]);
});
