// Runs the bundled local S3 Control endpoint (built by global-setup) as a separate process,
// the way `npm start` and the benchmarks run it.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { BUILD_DIR } from "./global-setup.js";

export const LOCAL_ENDPOINT_PATH = join(BUILD_DIR, "local-endpoint.js");

export interface LocalEndpointProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Back to the seeded initial state (POST /__local/reset). */
  reset(): Promise<void>;
  /** SIGTERM, then SIGKILL after 3 s; resolves with the exit code (null when killed). */
  stop(): Promise<number | null>;
}

const READY = /^s3ap local endpoint listening on (http:\/\/\S+)$/m;

export function startLocalEndpointProcess(flags: string[] = []): Promise<LocalEndpointProcess> {
  const args = [LOCAL_ENDPOINT_PATH, ...flags];
  if (!flags.includes("--port")) args.push("--port", "0");
  if (!flags.includes("--host")) args.push("--host", "127.0.0.1");
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`local endpoint did not start within 10 s:\n${stdout}${stderr}`));
    }, 10_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`local endpoint exited with ${code} before it was ready:\n${stderr}`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = READY.exec(stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const url = match[1];
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        async reset() {
          const response = await fetch(`${url}/__local/reset`, { method: "POST" });
          if (!response.ok) throw new Error(`local endpoint reset failed: HTTP ${response.status}`);
        },
        stop() {
          return new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
            child.once("exit", (code) => done(code));
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 3000).unref();
          });
        },
      });
    });
  });
}
