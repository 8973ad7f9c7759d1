#!/usr/bin/env node
// `npm start`: the main job end to end with no AWS account. Starts s3ap's own local S3 Control
// endpoint on 127.0.0.1, seeds it with live state that differs from policies/, then runs the real
// CLI: plan (drift, exit 2) → apply (exit 0) → plan again (in sync, exit 0).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse } from "yaml";

const root = join(import.meta.dirname, "..");
// S3AP_DIST_DIR lets the tests run the demo against the bundles they just built.
const distDir = process.env.S3AP_DIST_DIR ?? join(root, "dist");
const cli = join(distDir, "cli.js");
const endpointMain = join(distDir, "local-endpoint.js");
const policiesDir = process.argv[2] ?? "policies";

function yamlFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    });
}

/** Replaces s3ap's own variables the way s3ap does, so live policies can mirror desired ones. */
function substitute(value, vars) {
  if (typeof value === "string") return value.replace(/\$\{(\w+)\}/g, (m, name) => vars[name] ?? m);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  }
  return value;
}

/** The same policy as AWS might hand it back: statements reversed, singletons wrapped in arrays. */
function rewrittenLikeAws(policy) {
  const statements = [].concat(policy.Statement).reverse();
  const wrap = (v) => (typeof v === "string" ? [v] : v);
  return {
    Statement: statements.map((st) => ({
      ...st,
      Action: wrap(st.Action),
      Resource: wrap(st.Resource),
    })),
    Version: policy.Version,
  };
}

/** Live state for the demo: every declared access point exists, with some drift to repair. */
function seedFrom(files) {
  const accessPoints = [];
  files.forEach((file, index) => {
    const doc = parse(readFileSync(file, "utf8"));
    const ap = {
      accountId: String(doc.accountId),
      region: doc.region,
      name: doc.name,
      bucket: `${doc.name}-bucket`,
      ...(doc.outpostId ? { outpostId: doc.outpostId } : {}),
    };
    const arn = doc.outpostId
      ? `arn:aws:s3-outposts:${doc.region}:${doc.accountId}:outpost/${doc.outpostId}/accesspoint/${doc.name}`
      : `arn:aws:s3:${doc.region}:${doc.accountId}:accesspoint/${doc.name}`;
    const vars = {
      accessPointArn: arn,
      accountId: doc.accountId,
      region: doc.region,
      name: doc.name,
      partition: "aws",
    };
    if (doc.policy === null) {
      // Declared "no policy", but someone attached one by hand: apply deletes it.
      ap.policy = {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${doc.accountId}:root` },
            Action: "s3:*",
            Resource: `${arn}/object/*`,
          },
        ],
      };
    } else if (doc.mode === "observe") {
      // In sync, but written differently: no false drift.
      ap.policy = rewrittenLikeAws(substitute(doc.policy, vars));
    } else if (index % 2 === 1 && !doc.outpostId) {
      // Hand-edited in the console: a wider grant than the repository declares. Apply updates it.
      ap.policy = {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ConsoleEdit",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${doc.accountId}:root` },
            Action: ["s3:GetObject", "s3:PutObject"],
            Resource: `${arn}/object/*`,
          },
        ],
      };
    }
    // Otherwise no policy yet: apply creates it.
    accessPoints.push(ap);
  });
  return { accessPoints };
}

function startEndpoint(seedFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [endpointMain, "--port", "0", "--host", "127.0.0.1", "--seed-file", seedFile],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let buffered = "";
    child.stdout.on("data", (chunk) => {
      buffered += chunk.toString();
      const match = buffered.match(/listening on (http:\/\/\S+)/);
      if (match) resolve({ url: match[1], child });
    });
    child.on("exit", (code) =>
      reject(new Error(`local endpoint exited with ${code} before it was ready`)),
    );
  });
}

// Bold only on a terminal, as s3ap itself does: a pipe or a CI log gets plain text.
const bold = process.stdout.isTTY && !process.env.NO_COLOR;
function run(title, args, env) {
  const command = `$ s3ap ${args.join(" ")}`;
  console.log(`\n${bold ? `\u001b[1m${command}\u001b[22m` : command}   # ${title}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: "inherit", env, cwd: root });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const files = yamlFiles(join(root, policiesDir));
const work = mkdtempSync(join(tmpdir(), "s3ap-demo-"));
const seedFile = join(work, "seed.json");
writeFileSync(seedFile, JSON.stringify(seedFrom(files), null, 2));
const { url, child } = await startEndpoint(seedFile);
console.log(
  `Local S3 Control endpoint on ${url}, seeded with ${files.length} access points from ${relative(process.cwd(), join(root, policiesDir)) || "."}/ (with drift).`,
);

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_SESSION_TOKEN: "",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_PROFILE: "",
  // The demo runs on whatever Node the machine has; keep its output to what s3ap says.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};
const common = ["--dir", policiesDir, "--endpoint-url", url];
let ok = true;
try {
  const first = await run("what differs? (exit 2: changes pending)", ["plan", ...common], env);
  const applied = await run(
    "write the drift and read it back (exit 0)",
    ["apply", ...common, "--allow-dirty"],
    env,
  );
  const second = await run("in sync now (exit 0)", ["plan", ...common], env);
  ok = first === 2 && applied === 0 && second === 0;
  console.log(
    `\nexit codes: plan ${first}, apply ${applied}, plan ${second} — ${ok ? "as expected" : "NOT as expected"}`,
  );
} finally {
  child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
