import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  byteLength,
  changeLabel,
  createS3ControlStore,
  escapeCell,
  exitCodeOf,
  hasDrift,
  reconcile,
  renderApplyMarkdown,
  renderApplyText,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  shortSha
} from "./chunks/chunk-YH2BM4TK.js";
import {
  displayPath,
  renderProblemsText,
  resolveEndpointUrl
} from "./chunks/chunk-6L66IO3Y.js";
import {
  InputError,
  S3apError
} from "./chunks/chunk-CNSSGDZY.js";
import {
  accessPointKey
} from "./chunks/chunk-3G2BUXFT.js";
import "./chunks/chunk-IKVF3RCD.js";
import "./chunks/chunk-H3ZKZ5NB.js";

// src/action.ts
import { setTimeout as sleep } from "node:timers/promises";

// src/github/run-action.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// src/github/action-inputs.ts
var ACTION_COMMANDS = ["plan", "apply", "pr-comment", "drift-issues"];
function readInput(env, name) {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value === void 0 || value === "" ? void 0 : value;
}
function readActionInputs(env, defaults) {
  const command = readInput(env, "command") ?? "plan";
  if (!ACTION_COMMANDS.includes(command)) {
    throw new InputError(
      `input command is one of ${ACTION_COMMANDS.join(", ")}, not "${command}".`
    );
  }
  const optional = (name, parse) => {
    const value = readInput(env, name);
    return value === void 0 ? void 0 : parse(value);
  };
  const only = readInput(env, "only");
  const maxChanges = optional("max-changes", wholeNumber("max-changes", 0));
  const endpointUrl = readInput(env, "endpoint-url");
  const githubToken = readInput(env, "github-token");
  const planPath = readInput(env, "plan-path");
  const fullPlanUrl = readInput(env, "full-plan-url");
  return {
    command,
    dryRun: optional("dry-run", boolean("dry-run")) ?? false,
    policiesDirectory: readInput(env, "policies-directory") ?? "policies",
    ...only !== void 0 ? { only } : {},
    concurrency: optional("concurrency", wholeNumber("concurrency", 1)) ?? defaults.concurrency,
    rate: optional("rate", positiveNumber("rate")) ?? defaults.rate,
    ...maxChanges !== void 0 ? { maxChanges } : {},
    ...endpointUrl !== void 0 ? { endpointUrl } : {},
    failOnDrift: optional("fail-on-drift", boolean("fail-on-drift")) ?? false,
    ...githubToken !== void 0 ? { githubToken } : {},
    ...planPath !== void 0 ? { planPath } : {},
    ...fullPlanUrl !== void 0 ? { fullPlanUrl } : {}
  };
}
function boolean(name) {
  return (value) => {
    if (["true", "True", "TRUE"].includes(value)) return true;
    if (["false", "False", "FALSE"].includes(value)) return false;
    throw new InputError(`input ${name} is true or false, not "${value}".`);
  };
}
function wholeNumber(name, min) {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InputError(
        `input ${name} takes a whole number of at least ${min}, not "${value}".`
      );
    }
    return n;
  };
}
function positiveNumber(name) {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
      throw new InputError(`input ${name} takes a number greater than 0, not "${value}".`);
    }
    return n;
  };
}

// src/github/workflow-commands.ts
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function workflowCommand(command, properties, message) {
  const props = Object.entries(properties).filter(
    (entry) => entry[1] !== void 0 && entry[1] !== ""
  ).map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${command}${props === "" ? "" : ` ${props}`}::${escapeData(message)}
`;
}

// src/github/annotations.ts
var ANNOTATIONS_PER_STEP = 10;
function renderErrorAnnotations(annotations, limit = ANNOTATIONS_PER_STEP) {
  const shown = annotations.slice(0, limit);
  let out = shown.map(
    (a) => workflowCommand(
      "error",
      { file: a.file, line: a.line, col: a.col, title: a.title },
      a.message
    )
  ).join("");
  const more = annotations.length - shown.length;
  if (more > 0) {
    out += workflowCommand(
      "notice",
      { title: "s3ap: more errors in the log" },
      `${more} more error${more === 1 ? " is" : "s are"} not annotated (GitHub shows ${limit} per step); the full list is in this step's log.`
    );
  }
  return out;
}

// src/github/rest-client.ts
var GitHubApiError = class extends S3apError {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
  status;
  name = "GitHubApiError";
};
var GitHubClient = class {
  constructor(options) {
    this.options = options;
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch;
  }
  options;
  apiUrl;
  fetch;
  /** `/repos/{owner}/{name}` + path. */
  repoPath(path) {
    return `/repos/${this.options.repository}${path}`;
  }
  async request(method, path, body) {
    const { json } = await this.send(method, `${this.apiUrl}${path}`, body);
    return json;
  }
  /** Every page of a list endpoint, following the Link header's rel="next". */
  async paginate(path) {
    const items = [];
    let url = `${this.apiUrl}${path}${path.includes("?") ? "&" : "?"}per_page=100`;
    while (url !== null) {
      const page = await this.send("GET", url);
      if (!Array.isArray(page.json)) throw new GitHubApiError(`GET ${url}: expected a list`, 200);
      items.push(...page.json);
      url = page.next;
    }
    return items;
  }
  async send(method, url, body) {
    const response = await this.fetch(url, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${this.options.token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "s3ap",
        ...body !== void 0 ? { "content-type": "application/json" } : {}
      },
      ...body !== void 0 ? { body: JSON.stringify(body) } : {}
    });
    const text = await response.text();
    if (!response.ok) {
      throw new GitHubApiError(
        `GitHub API ${method} ${new URL(url).pathname} failed with HTTP ${response.status}: ${text.slice(0, 300)}${hint(response.status)}`,
        response.status
      );
    }
    return {
      json: text === "" ? null : JSON.parse(text),
      next: nextLink(response.headers.get("link"))
    };
  }
};
function hint(status) {
  if (status === 401) return " (is github-token set?)";
  if (status === 403 || status === 404) {
    return " (does the job grant the permission? pull-requests: write for PR comments, issues: write for drift issues; pull requests from forks get a read-only token)";
  }
  return "";
}
function nextLink(header) {
  if (header === null) return null;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match?.[1] !== void 0) return match[1];
  }
  return null;
}

// src/github/sticky-comment.ts
var PLAN_COMMENT_MARKER = "<!-- s3ap-plan-comment -->";
var COMMENT_LIMIT_CHARS = 65536;
function renderPlanComment(plan, options = {}) {
  const footer = options.runUrl ? `
<sub>Posted by s3ap from [this run](${options.runUrl}).</sub>
` : "";
  const budget = COMMENT_LIMIT_CHARS - PLAN_COMMENT_MARKER.length - footer.length - 2;
  const hint2 = options.fullPlanUrl ? `[the plan artifact](${options.fullPlanUrl})` : options.runUrl ? `the plan artifact of [this run](${options.runUrl})` : void 0;
  const markdown = renderPlanMarkdown(plan, {
    title: "s3ap plan",
    maxBytes: budget,
    ...hint2 !== void 0 ? { fullPlanHint: hint2 } : {}
  });
  return `${PLAN_COMMENT_MARKER}
${markdown}${footer}`;
}
async function upsertStickyComment(client, issueNumber, body, marker = PLAN_COMMENT_MARKER) {
  const comments = await client.paginate(
    client.repoPath(`/issues/${issueNumber}/comments`)
  );
  const previous = comments.find((c) => c.body?.includes(marker));
  if (previous === void 0) {
    const created = await client.request(
      "POST",
      client.repoPath(`/issues/${issueNumber}/comments`),
      { body }
    );
    return { action: "created", id: created.id, url: created.html_url };
  }
  if (previous.body === body)
    return { action: "unchanged", id: previous.id, url: previous.html_url };
  const updated = await client.request(
    "PATCH",
    client.repoPath(`/issues/comments/${previous.id}`),
    { body }
  );
  return { action: "updated", id: updated.id, url: updated.html_url };
}

// src/github/drift-issues.ts
var DRIFT_LABEL = "s3ap-drift";
var MARKER_PATTERN = /<!-- s3ap-drift: (\S+) -->/;
function driftMarker(change) {
  return `<!-- s3ap-drift: ${accessPointKey(change)} -->`;
}
function isDrift(change) {
  return change.action === "create" || change.action === "update" || change.action === "delete";
}
function renderDriftIssue(change, plan, context = {}) {
  const key = accessPointKey(change);
  const fix = change.mode === "observe" ? "This access point is in `observe` mode: s3ap reports the drift and never writes it. Change the live policy or the file so they agree." : "To restore the declared policy, run the reconcile workflow with `dry-run` off (or merge a change to main). To keep the live policy instead, change the file to match it.";
  const intro = [
    driftMarker(change),
    `The live policy of access point \`${key}\` differs from its file (action: **${change.action}**).`,
    "",
    `- ARN: \`${change.arn}\``,
    `- File: \`${change.file}\``,
    `- Mode: ${change.mode}`,
    `- Reason: ${change.reason}`,
    `- Seen at commit: \`${shortSha(plan.commit)}\`${context.runUrl ? ` in [this run](${context.runUrl})` : ""}`,
    "",
    fix,
    "",
    "s3ap closes this issue when a scheduled plan finds the access point in sync.",
    ""
  ].join("\n");
  const single = { ...plan, summary: summaryOf(change), changes: [change] };
  const details = renderPlanMarkdown(single, {
    title: "Plan for this access point",
    maxBytes: COMMENT_LIMIT_CHARS - intro.length - 100,
    fullPlanHint: context.runUrl ? `the plan artifact of [this run](${context.runUrl})` : "`s3ap plan`"
  });
  return { title: `s3ap drift: ${key}`, body: `${intro}
${details}` };
}
function summaryOf(change) {
  const summary = { create: 0, update: 0, delete: 0, noop: 0, error: 0 };
  summary[change.action] += 1;
  return summary;
}
async function syncDriftIssues(client, plan, context = {}) {
  const report = { opened: [], updated: [], closed: [], unchanged: [] };
  await ensureLabel(client);
  const open = await client.paginate(
    client.repoPath(`/issues?state=open&labels=${encodeURIComponent(DRIFT_LABEL)}`)
  );
  const byKey = /* @__PURE__ */ new Map();
  for (const issue of open) {
    if (issue.pull_request !== void 0) continue;
    const key = MARKER_PATTERN.exec(issue.body ?? "")?.[1];
    if (key !== void 0 && !byKey.has(key)) byKey.set(key, issue);
  }
  for (const change of plan.changes) {
    const key = accessPointKey(change);
    const issue = byKey.get(key);
    if (isDrift(change)) {
      const { title, body } = renderDriftIssue(change, plan, context);
      if (issue === void 0) {
        const created = await client.request("POST", client.repoPath("/issues"), {
          title,
          body,
          labels: [DRIFT_LABEL]
        });
        report.opened.push(created.number);
      } else if (issue.body === body && issue.title === title) {
        report.unchanged.push(issue.number);
      } else {
        await client.request("PATCH", client.repoPath(`/issues/${issue.number}`), { title, body });
        report.updated.push(issue.number);
      }
    } else if (change.action === "noop" && issue !== void 0) {
      const where = context.runUrl ? ` ([run](${context.runUrl}))` : "";
      await client.request("POST", client.repoPath(`/issues/${issue.number}/comments`), {
        body: `The drift is gone: \`${key}\` is in sync at commit \`${shortSha(plan.commit)}\`${where}. Closing.`
      });
      await client.request("PATCH", client.repoPath(`/issues/${issue.number}`), {
        state: "closed",
        state_reason: "completed"
      });
      report.closed.push(issue.number);
    }
  }
  return report;
}
async function ensureLabel(client) {
  try {
    await client.request("GET", client.repoPath(`/labels/${encodeURIComponent(DRIFT_LABEL)}`));
  } catch (error) {
    if (!(error instanceof GitHubApiError) || error.status !== 404) throw error;
    await client.request("POST", client.repoPath("/labels"), {
      name: DRIFT_LABEL,
      color: "d93f0b",
      description: "An S3 access point policy differs from its file (opened by s3ap)"
    });
  }
}

// src/github/outputs.ts
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
function formatOutputs(outputs, delimiter = `ghadelimiter_${randomUUID()}`) {
  return Object.entries(outputs).map(([name, value]) => {
    if (name.includes(delimiter) || value.includes(delimiter)) {
      throw new Error(`output ${name} contains the delimiter ${delimiter}`);
    }
    return `${name}<<${delimiter}
${value}
${delimiter}
`;
  }).join("");
}
function writeOutputs(env, outputs) {
  const path = env.GITHUB_OUTPUT;
  if (path === void 0 || path === "") return false;
  appendFileSync(path, formatOutputs(outputs));
  return true;
}

// src/github/run-context.ts
import { readFileSync } from "node:fs";
function runUrl(env) {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!server || !repo || !run) return void 0;
  return `${server}/${repo}/actions/runs/${run}`;
}
function pullRequestNumber(env) {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return void 0;
  const event = JSON.parse(readFileSync(path, "utf8"));
  const number = event.pull_request?.number;
  return typeof number === "number" ? number : void 0;
}

// src/github/summary.ts
import { appendFileSync as appendFileSync2, statSync } from "node:fs";
var SUMMARY_LIMIT_BYTES = 1024 * 1024;
function summaryBudget(env) {
  const path = env.GITHUB_STEP_SUMMARY;
  let used = 0;
  if (path !== void 0 && path !== "") {
    try {
      used = statSync(path).size;
    } catch {
      used = 0;
    }
  }
  return Math.max(0, SUMMARY_LIMIT_BYTES - used - 1024);
}
function appendSummary(env, markdown) {
  const path = env.GITHUB_STEP_SUMMARY;
  if (path === void 0 || path === "") return false;
  appendFileSync2(path, markdown.endsWith("\n") ? markdown : `${markdown}
`);
  return true;
}
function cutLines(markdown, maxBytes, whereTheRestIs) {
  if (byteLength(markdown) <= maxBytes) return markdown;
  const lines = markdown.split("\n");
  const reserve = 300 + byteLength(whereTheRestIs);
  const kept = [];
  let used = 0;
  for (const line of lines) {
    const size = byteLength(line) + 1;
    if (used + size > maxBytes - reserve) break;
    kept.push(line);
    used += size;
  }
  const cut = lines.length - kept.length;
  return `${kept.join("\n")}

> \u26A0\uFE0F ${cut} line${cut === 1 ? " was" : "s were"} cut to stay under ${maxBytes} bytes. ${whereTheRestIs}
`;
}

// src/github/run-action.ts
async function runAction(context) {
  let inputs;
  try {
    inputs = readActionInputs(context.env, {
      concurrency: DEFAULT_CONCURRENCY,
      rate: DEFAULT_RATE
    });
  } catch (error) {
    return fail(context, error, "plan");
  }
  try {
    switch (inputs.command) {
      case "plan":
      case "apply":
        return await reconcileStep(context, inputs);
      case "pr-comment":
        return await prCommentStep(context, inputs);
      case "drift-issues":
        return await driftIssuesStep(context, inputs);
    }
  } catch (error) {
    return fail(context, error, inputs.command);
  }
}
async function reconcileStep(context, inputs) {
  const { env, log } = context;
  const apply = inputs.command === "apply" && !inputs.dryRun;
  const endpointUrl = resolveEndpointUrl(inputs.endpointUrl, env);
  let retries = 0;
  let store;
  const openStore = () => {
    store ??= context.createStore({
      ...endpointUrl !== void 0 ? { endpointUrl } : {},
      ratePerSecond: inputs.rate,
      onEvent: (event) => {
        if (event.type === "retry") retries += 1;
      }
    });
    return store;
  };
  const outcome = await reconcile(
    {
      cwd: context.cwd,
      dir: inputs.policiesDirectory,
      ...inputs.only !== void 0 ? { only: inputs.only } : {},
      apply,
      allowDirty: false,
      ...inputs.maxChanges !== void 0 ? { maxChanges: inputs.maxChanges } : {},
      concurrency: inputs.concurrency
    },
    {
      openReader: openStore,
      openWriter: openStore,
      sleep: context.sleep,
      now: context.now
    }
  ).finally(() => store?.destroy());
  const mode = apply ? "apply" : inputs.command === "apply" ? "apply (dry run)" : "plan";
  const code2 = exitCodeOf(outcome);
  const failureReason = failureReasonOf(outcome, inputs);
  const planPath = "plan" in outcome && outcome.plan !== null ? await writePlan(env, outcome) : "";
  log(renderLog(outcome, context.cwd, retries));
  log(renderErrorAnnotations(annotationsOf(outcome, context.cwd)));
  appendSummary(
    env,
    renderSummary(outcome, {
      mode,
      retries,
      cwd: context.cwd,
      budget: summaryBudget(env),
      planPath
    })
  );
  const plan = "plan" in outcome ? outcome.plan : null;
  const outputs = {
    changes: String(plan !== null && hasDrift(plan)),
    create: String(plan?.summary.create ?? 0),
    update: String(plan?.summary.update ?? 0),
    delete: String(plan?.summary.delete ?? 0),
    noop: String(plan?.summary.noop ?? 0),
    error: String(plan?.summary.error ?? 0),
    "plan-path": planPath,
    "failure-reason": failureReason ?? ""
  };
  writeOutputs(env, outputs);
  if (failureReason !== void 0) {
    log(workflowCommand("error", { title: "s3ap failed" }, failureReason));
    return 1;
  }
  return code2 === 2 ? 0 : code2;
}
function failureReasonOf(outcome, inputs) {
  switch (outcome.status) {
    case "invalid":
      return `${outcome.problems.length} problem${outcome.problems.length === 1 ? "" : "s"} in the policy files; nothing was sent to AWS`;
    case "refused":
      return `refused: ${outcome.reason}`;
    case "planned": {
      const { summary } = outcome.plan;
      if (summary.error > 0)
        return `${summary.error} access point${summary.error === 1 ? "" : "s"} could not be read or planned`;
      if (inputs.failOnDrift && hasDrift(outcome.plan)) {
        const drift = summary.create + summary.update + summary.delete;
        return `drift: ${drift} access point${drift === 1 ? "" : "s"} differ from their files (fail-on-drift is set)`;
      }
      return void 0;
    }
    case "applied": {
      const failed = outcome.results.filter((r) => r.status === "failed").length;
      return failed > 0 ? `${failed} access point${failed === 1 ? "" : "s"} could not be reconciled` : void 0;
    }
  }
}
async function writePlan(env, outcome) {
  if (!("plan" in outcome) || outcome.plan === null) return "";
  const path = join(env.RUNNER_TEMP || tmpdir(), `s3ap-plan-${randomUUID2()}.json`);
  const results = outcome.status === "applied" ? outcome.results : void 0;
  await writeFile(path, renderPlanJson(outcome.plan, results));
  return path;
}
function renderLog(outcome, cwd, retries) {
  if (outcome.status === "invalid") {
    return `${renderProblemsText(outcome.problems, outcome.source, cwd)}s3ap: ${outcome.problems.length} problems in the policy files; nothing was sent to AWS.
`;
  }
  let text = "";
  if (outcome.plan !== null) text += renderPlanText(outcome.plan, { color: false });
  if (outcome.status === "applied") {
    text += `
${renderApplyText(outcome.plan.commit, outcome.results, { retries }, { color: false })}`;
  }
  if (outcome.status === "refused") text += `s3ap: refused: ${outcome.reason}
`;
  return text;
}
function annotationsOf(outcome, cwd) {
  if (outcome.status === "invalid") {
    return outcome.problems.map((p) => problemAnnotation(p, outcome.source, cwd));
  }
  const annotations = [];
  if (outcome.plan !== null) {
    for (const change of outcome.plan.changes) {
      if (change.action !== "error") continue;
      annotations.push({
        file: displayPath(change.file, outcome.source, cwd),
        title: `s3ap: ${changeLabel(change)}`,
        message: change.reason
      });
    }
  }
  if (outcome.status === "applied") {
    for (const result of outcome.results) {
      if (result.status !== "failed") continue;
      annotations.push({
        file: displayPath(result.change.file, outcome.source, cwd),
        title: `s3ap: ${changeLabel(result.change)} not applied`,
        message: result.message
      });
    }
  }
  return annotations;
}
function problemAnnotation(problem, source, cwd) {
  return {
    file: displayPath(problem.file, source, cwd),
    line: problem.line,
    col: problem.col,
    title: `s3ap: ${problem.rule}`,
    message: problem.message
  };
}
function renderSummary(outcome, options) {
  const rest = "The full list is in this step's log.";
  if (outcome.status === "invalid") {
    const lines = [
      `## s3ap ${options.mode}: invalid policy files`,
      "",
      `Commit: ${commitText(outcome.source.commit)} \xB7 ${outcome.problems.length} problems in ${outcome.files} files; nothing was sent to AWS.`,
      "",
      "| File | Line | Column | Rule | Problem |",
      "|---|---|---|---|---|",
      ...outcome.problems.map(
        (p) => `| \`${escapeCell(displayPath(p.file, outcome.source, options.cwd))}\` | ${p.line} | ${p.col} | ${escapeCell(p.rule)} | ${escapeCell(p.message)} |`
      ),
      ""
    ];
    return cutLines(lines.join("\n"), options.budget, rest);
  }
  const hint2 = `the plan JSON (\`plan-path\` output: ${options.planPath || "not written"})`;
  let applyPart = "";
  if (outcome.status === "applied") {
    applyPart = cutLines(
      renderApplyMarkdown(outcome.results, { retries: options.retries }),
      Math.floor(options.budget / 2),
      rest
    );
  }
  let refusedPart = "";
  if (outcome.status === "refused")
    refusedPart = `
> \u274C **Refused:** ${escapeCell(outcome.reason)}
`;
  const planBudget = options.budget - Buffer.byteLength(applyPart) - Buffer.byteLength(refusedPart);
  const planPart = outcome.plan === null ? `## s3ap ${options.mode}

Commit: ${commitText(outcome.source.commit)}
` : renderPlanMarkdown(outcome.plan, {
    title: `s3ap ${options.mode}`,
    maxBytes: planBudget,
    fullPlanHint: hint2
  });
  return `${planPart}${refusedPart}${applyPart ? `
${applyPart}` : ""}`;
}
function commitText(commit) {
  return commit === null ? "no commit" : `\`${commit}\``;
}
async function readPlanInput(context, inputs) {
  if (inputs.planPath === void 0) {
    throw new S3apError(
      `input plan-path is required for command ${inputs.command}: pass the plan-path output of a plan step.`
    );
  }
  const plan = JSON.parse(await readFile(resolve(context.cwd, inputs.planPath), "utf8"));
  if (plan.formatVersion !== 1 || !Array.isArray(plan.changes)) {
    throw new S3apError(`${inputs.planPath} is not an s3ap plan (formatVersion 1).`);
  }
  return plan;
}
function githubClient(context, inputs) {
  const { env } = context;
  if (inputs.githubToken === void 0) {
    throw new S3apError(`input github-token is required for command ${inputs.command}.`);
  }
  if (!env.GITHUB_REPOSITORY)
    throw new S3apError("GITHUB_REPOSITORY is not set: this command runs inside GitHub Actions.");
  return new GitHubClient({
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    token: inputs.githubToken,
    repository: env.GITHUB_REPOSITORY,
    ...context.fetch !== void 0 ? { fetch: context.fetch } : {}
  });
}
async function prCommentStep(context, inputs) {
  const plan = await readPlanInput(context, inputs);
  const number = pullRequestNumber(context.env);
  if (number === void 0) {
    context.log(
      workflowCommand(
        "notice",
        { title: "s3ap" },
        "Not a pull request event: no plan comment posted."
      )
    );
    writeOutputs(context.env, { "comment-url": "", "failure-reason": "" });
    return 0;
  }
  const url = runUrl(context.env);
  const body = renderPlanComment(plan, {
    ...inputs.fullPlanUrl !== void 0 ? { fullPlanUrl: inputs.fullPlanUrl } : {},
    ...url !== void 0 ? { runUrl: url } : {}
  });
  const result = await upsertStickyComment(githubClient(context, inputs), number, body);
  context.log(
    `s3ap: plan comment ${result.action} on pull request #${number}${result.url ? `: ${result.url}` : ""}
`
  );
  writeOutputs(context.env, { "comment-url": result.url ?? "", "failure-reason": "" });
  return 0;
}
async function driftIssuesStep(context, inputs) {
  const plan = await readPlanInput(context, inputs);
  const url = runUrl(context.env);
  const report = await syncDriftIssues(
    githubClient(context, inputs),
    plan,
    url !== void 0 ? { runUrl: url } : {}
  );
  const list = (numbers) => numbers.length === 0 ? "none" : numbers.map((n) => `#${n}`).join(", ");
  const line = `Drift issues \u2014 opened: ${list(report.opened)}; updated: ${list(report.updated)}; closed: ${list(report.closed)}; unchanged: ${list(report.unchanged)}.`;
  context.log(`s3ap: ${line}
`);
  appendSummary(context.env, `### s3ap drift issues

${line}
`);
  writeOutputs(context.env, {
    "issues-opened": report.opened.join(","),
    "issues-closed": report.closed.join(","),
    "failure-reason": ""
  });
  return 0;
}
function fail(context, error, command) {
  const message = error instanceof S3apError ? error.message : error instanceof Error ? error.stack ?? error.message : String(error);
  const short = error instanceof Error ? error.message : String(error);
  context.log(`s3ap ${command} failed: ${message}
`);
  context.log(workflowCommand("error", { title: "s3ap failed" }, short));
  appendSummary(context.env, `## s3ap ${command}: failed

> \u274C ${escapeCell(short)}
`);
  writeOutputs(context.env, { "failure-reason": short, changes: "false" });
  return 1;
}

// src/action.ts
var code = await runAction({
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  log: (text) => process.stdout.write(text),
  createStore: (settings) => createS3ControlStore(settings),
  sleep: (ms) => sleep(ms),
  now: Date.now
});
process.exitCode = code;
