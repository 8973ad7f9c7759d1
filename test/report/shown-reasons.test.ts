import { expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { LiveState } from "../../src/model.js";
import type { AccessReason } from "../../src/policy/access-reasons.js";
import { plan } from "../../src/reconcile/plan.js";
import { type PlannedChange, partsOf } from "../../src/reconcile/types.js";
import { shownReasons } from "../../src/report/access-labels.js";
import { renderPlanJson } from "../../src/report/plan-json.js";
import { renderPlanMarkdown } from "../../src/report/plan-markdown.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { ACCOUNT, desiredAp, widerReadPolicy } from "../support/desired.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

/** Desired grants GetObject; live also grants DeleteObject (a console edit). */
function addedActionPlan() {
  const ap = desiredAp("share");
  const wider = widerReadPolicy(ap.arn);
  const live = new Map<string, LiveState>([
    [accessPointKey(ap), { kind: "policy", policy: wider }],
  ]);
  return plan([ap], live, SHA);
}

test("a report shows the statement-level reason, not the sample request that repeats it", () => {
  const p = addedActionPlan();
  const reasons = partsOf(p.changes[0] as PlannedChange).accessReasons ?? [];
  // The verdict proves its direction with a sample request: the plan JSON keeps it for tools.
  expect(reasons.some((r) => r.request?.action === "s3:DeleteObject")).toBe(true);
  expect(renderPlanJson(p)).toContain('"action": "s3:DeleteObject"');
  const text = renderPlanText(p, { color: false });
  const markdown = renderPlanMarkdown(p);
  for (const shown of [text, markdown]) {
    expect(shown).toMatch(/statement "Read"(:|&#58;) removes action s3(:|&#58;)DeleteObject/);
    expect(shown).not.toContain("which desired no longer allows");
  }
});

test("a direction only the search explains keeps its sample request", () => {
  const sample = (direction: AccessReason["direction"], text: string): AccessReason => ({
    direction,
    text,
    request: {
      principal: { type: "AWS", value: `arn:aws:iam::${ACCOUNT}:role/reports` },
      action: "s3:GetObject",
      resource: "arn:aws:s3:us-east-1:111122223333:accesspoint/share/object/z",
      context: {},
      before: "none",
      after: "allow",
    },
  });
  const reasons: AccessReason[] = [
    { direction: "narrows", text: 'statement "Read": removes action s3:PutObject' },
    sample("narrows", "sample narrowing"),
    sample("widens", "sample widening"),
    { direction: "unclear", text: "may widen access: too many patterns" },
  ];
  expect(shownReasons(reasons).map((r) => r.text)).toEqual([
    'statement "Read": removes action s3:PutObject',
    "sample widening",
    "may widen access: too many patterns",
  ]);
});
