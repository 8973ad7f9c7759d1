// Starts moto server (a real S3 Control wire endpoint) on a free loopback port for a test file.
// If moto is missing the tests fail loudly with the command that installs it: never skip.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { freePort } from "./free-port.js";

export const MOTO_INSTALL_HINT = `python3 -m pip install 'moto[server]==5.2.1'`;

export interface MotoServer {
  url: string;
  port: number;
  /** Forget every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function assertMotoInstalled(): void {
  const probe = spawnSync("python3", ["-c", "import moto.server, flask, werkzeug"], {
    encoding: "utf8",
  });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `moto server is required for the integration tests but is not importable ` +
        `(${probe.error?.message ?? probe.stderr.trim()}). Install it with: ${MOTO_INSTALL_HINT}`,
    );
  }
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `moto server exited with ${child.exitCode} before it was ready:\n${output()}`,
      );
    }
    try {
      const response = await fetch(`${url}/moto-api/reset`, { method: "POST" });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto server did not answer on ${url} within 30 s:\n${output()}`);
}

export async function startMoto(): Promise<MotoServer> {
  assertMotoInstalled();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true" },
  });
  let log = "";
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  await waitUntilUp(url, child, () => log);
  return {
    url,
    port,
    async reset() {
      const response = await fetch(`${url}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      });
    },
  };
}
