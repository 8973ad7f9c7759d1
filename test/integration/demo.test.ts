// `npm start` is the README's first command: it must run the whole job against the local endpoint.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { BUILD_DIR } from "../support/global-setup.js";

test("the demo plans drift, applies it and ends in sync (exit 0), in plain text into a pipe", async () => {
  const demo = join(import.meta.dirname, "..", "..", "scripts", "demo.mjs");
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [demo], {
      // No NO_COLOR: output into a pipe must be plain text on its own.
      env: { ...process.env, S3AP_DIST_DIR: BUILD_DIR, NO_COLOR: undefined },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.on("close", (exit) => resolve({ code: exit, output }));
  });
  expect(output).toMatch(
    /Plan: \d+ to create, \d+ to update, 1 to delete, 1 unchanged, 0 errors, 0 unmanaged\./,
  );
  expect(output).toMatch(/Apply: \d+ applied and verified, 0 failed/);
  expect(output).toContain("No changes. 6 access points are in sync.");
  expect(output).toContain("exit codes: plan 2, apply 0, plan 0 — as expected");
  expect(output).not.toContain("\u001b[");
  expect(code).toBe(0);
}, 60_000);
