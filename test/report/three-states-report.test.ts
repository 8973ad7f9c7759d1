// Reports that follow the three states: the PR comment says what the pull request changes (its
// verdict in the title), then the drift already in live (its own ⚠️), then what merging applies;
// errors come before all of it; files link to their line at the head commit.
import { describe, expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import { renderPlanComment } from "../../src/github/sticky-comment.js";
import type { DesiredAccessPoint, LiveState, PolicyDocument } from "../../src/model.js";
import { withBase } from "../../src/reconcile/origin.js";
import { plan } from "../../src/reconcile/plan.js";
import type { Plan } from "../../src/reconcile/types.js";
import { gitHubLinks } from "../../src/report/file-links.js";
import { renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { desiredAp } from "../support/desired.js";
import { renderMarkdown, visibleText } from "./sinks/render-markdown.js";

const HEAD = "1234567890abcdef1234567890abcdef12345678";
const BASE = "fedcba0987654321fedcba0987654321fedcba09";

function policy(ap: DesiredAccessPoint, actions: string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Read",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/reports" },
        Action: actions,
        Resource: `${ap.arn}/object/*`,
      },
    ],
  };
}

const state = (doc: PolicyDocument): LiveState => ({ kind: "policy", policy: doc });

/** The case: a pull request that only narrows pr-ap, while drift-ap has old drift that widens. */
function pullRequestPlan(): Plan {
  const pr = desiredAp("pr-ap");
  const drift = desiredAp("drift-ap");
  const broken = desiredAp("broken-ap", { accountId: "444455556666" });
  const head = [
    { ...pr, policy: policy(pr, ["s3:GetObject"]) },
    { ...drift, policy: policy(drift, ["s3:GetObject"]) },
    broken,
  ];
  const base = [
    { ...pr, policy: policy(pr, ["s3:GetObject", "s3:PutObject"]) },
    { ...drift, policy: policy(drift, ["s3:GetObject"]) },
    broken,
  ];
  const live = new Map<string, LiveState>([
    [accessPointKey(pr), state(policy(pr, ["s3:GetObject", "s3:PutObject"]))],
    [accessPointKey(drift), state(policy(drift, ["s3:GetObject", "s3:DeleteObject"]))],
    [accessPointKey(broken), { kind: "error", code: "AccessDenied", message: "access denied" }],
  ]);
  return withBase(plan(head, live, HEAD), head, {
    ref: BASE,
    commit: BASE,
    desired: base,
    invalidFiles: new Set(),
    warnings: [],
  });
}

const links = gitHubLinks({
  serverUrl: "https://github.example",
  repository: "octo/policies",
  commit: HEAD,
});

describe("the PR comment", () => {
  const body = renderPlanComment(pullRequestPlan(), { links });
  const html = renderMarkdown(body);
  const text = visibleText(html);

  test("its title carries the verdict of what the pull request changes, not of old drift", () => {
    const title = /<h2>(.*?)<\/h2>/.exec(html)?.[1] ?? "";
    expect(visibleText(title)).toBe(
      "s3ap plan · this pull request narrows access · ❌ 1 access point not planned",
    );
  });

  test("separates what the pull request changes from the drift already in live, then what merging applies", () => {
    const change = text.indexOf("What this pull request changes");
    const drift = text.indexOf("⚠️ Drift already in live: live widens access on 1 access point");
    const apply = text.indexOf("What merging will apply");
    expect(change).toBeGreaterThan(0);
    expect(drift).toBeGreaterThan(change);
    expect(apply).toBeGreaterThan(drift);
    const changeSection = text.slice(change, drift);
    expect(changeSection).toContain("111122223333/us-east-1/pr-ap");
    expect(changeSection).not.toContain("drift-ap");
    const driftSection = text.slice(drift, apply);
    expect(driftSection).toContain("111122223333/us-east-1/drift-ap");
    expect(driftSection).not.toContain("pr-ap");
    expect(driftSection).toContain('widens access: statement "Read": adds action s3:DeleteObject');
    expect(driftSection).toContain("and not because of this pull request");
  });

  test("names the head commit, linked, and links each file to its line at that commit", () => {
    expect(html).toContain(
      `Head: commit <a href="https://github.example/octo/policies/commit/${HEAD}"><code>${HEAD.slice(0, 12)}</code></a>`,
    );
    expect(body).toContain(`<!-- s3ap-head: ${HEAD} -->`);
    expect(html).toContain(
      `<a href="https://github.example/octo/policies/blob/${HEAD}/policies/pr-ap.yaml#L5"><code>policies/pr-ap.yaml</code></a>`,
    );
    expect(html).toContain(`/blob/${HEAD}/policies/drift-ap.yaml#L5"`);
  });

  test("errors come before everything else", () => {
    const error = text.indexOf("1 access point could not be read or planned");
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(text.indexOf("What this pull request changes"));
  });
});

describe("the scheduled summary (base = head)", () => {
  test("says what live did in the direction it happened, then what apply will do", () => {
    const scheduled: Plan = withBase(
      plan(
        [desiredAp("drift-ap", { policy: policy(desiredAp("drift-ap"), ["s3:GetObject"]) })],
        new Map([
          [
            "111122223333/us-east-1/drift-ap",
            state(policy(desiredAp("drift-ap"), ["s3:GetObject", "s3:DeleteObject"])),
          ],
        ]),
        HEAD,
      ),
      [desiredAp("drift-ap")],
      {
        ref: "HEAD",
        commit: HEAD,
        desired: [
          desiredAp("drift-ap", { policy: policy(desiredAp("drift-ap"), ["s3:GetObject"]) }),
        ],
        invalidFiles: new Set(),
        warnings: [],
      },
    );
    const text = visibleText(renderMarkdown(renderPlanMarkdown(scheduled, { links })));
    expect(text).toContain("s3ap plan · ⚠️ live widens access");
    expect(text).not.toContain("What this change");
    expect(text.indexOf("⚠️ Drift in live: live widens access on 1 access point")).toBeLessThan(
      text.indexOf("What apply will do"),
    );
    const terminal = renderPlanText(scheduled, { color: false });
    expect(terminal).toContain(
      'drift:  live widens access compared with the file: statement "Read": adds action s3:DeleteObject',
    );
    expect(terminal).toContain("access: narrows access");
  });
});

describe("the base revision beside the head, in the text title and the Markdown source line", () => {
  const withBaseAs = (ref: string, commit: string): Plan => ({
    ...pullRequestPlan(),
    base: { ref, commit, warnings: [], released: [] },
  });
  const title = (p: Plan) => renderPlanText(p, { color: false }).split("\n")[0];
  const source = (p: Plan) =>
    renderPlanMarkdown(p, { maxBytes: 60_000 })
      .split("\n")
      .find((line) => line.startsWith("Source: "))
      ?.split(" · 0 to create")[0];

  test("a named base: its commit and its name", () => {
    const p = withBaseAs("main", BASE);
    expect(title(p)).toBe("s3ap plan — commit 1234567890ab (base fedcba098765 main)");
    expect(source(p)).toBe(
      "Source: commit <code>1234567890ab</code> · base <code>fedcba098765</code> (<code>main</code>)",
    );
  });

  test("a base given as its commit: the commit only", () => {
    const p = withBaseAs(BASE, BASE);
    expect(title(p)).toBe("s3ap plan — commit 1234567890ab (base fedcba098765)");
    expect(source(p)).toBe(
      "Source: commit <code>1234567890ab</code> · base <code>fedcba098765</code>",
    );
  });

  test("a base that is the head: no base", () => {
    const p = withBaseAs("HEAD", HEAD);
    expect(title(p)).toBe("s3ap plan — commit 1234567890ab");
    expect(source(p)).toBe("Source: commit <code>1234567890ab</code>");
  });
});
