// What `s3ap init` did, on the terminal: each file written or left as it was, the pinned action,
// and what to do next.
import type { InitOutcome } from "../init/types.js";
import { terminalText } from "./sinks/terminal.js";

const MARK = { written: "created", exists: "exists, left as it is", "would write": "would create" };

export function renderInitText(outcome: InitOutcome): string {
  const lines = [
    `s3ap init — ${terminalText(outcome.root)}${outcome.inGit ? "" : " (not a git repository)"}`,
    `action: ${terminalText(outcome.pin.repository)}@${outcome.pin.commit} (s3ap ${outcome.pin.version})`,
    "",
  ];
  const width = outcome.files.reduce((most, f) => Math.max(most, f.path.length), 0);
  for (const file of outcome.files) {
    lines.push(
      `  ${terminalText(file.path.padEnd(width))}  ${MARK[file.result]}: ${terminalText(file.what)}`,
    );
  }
  const written = outcome.files.some((f) => f.result === "written");
  const dryRun = outcome.files.some((f) => f.result === "would write");
  if (outcome.files.every((f) => f.result === "exists")) {
    lines.push("", "Nothing written: every file is there already (s3ap init never overwrites).");
  }
  lines.push(
    "",
    "Next:",
    `  1. Put policy files under ${terminalText(outcome.dir)}/ (or import what is live: s3ap import --account ID --region REGION --mode observe --dir ${terminalText(outcome.dir)}).`,
    "  2. Create the IAM roles (a read-only plan role, an apply role; GitHub OIDC trust) and set the repository",
    "     variables S3AP_PLAN_ROLE_ARN, S3AP_ROLE_ARN and AWS_REGION (see s3ap's README, IAM permissions).",
    `  3. ${dryRun ? "Run s3ap init without --dry-run, review and commit the files" : written ? "Review and commit the files above" : "Commit your policy files"}, and open a pull request: its plan is posted as a comment.`,
    "",
  );
  return lines.join("\n");
}
