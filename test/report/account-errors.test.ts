import { expect, test } from "vitest";
import { accessPointKey } from "../../src/access-point/arn.js";
import type { LiveState } from "../../src/model.js";
import { plan } from "../../src/reconcile/plan.js";
import { renderPlanText } from "../../src/report/plan-text.js";
import { desiredAp } from "../support/desired.js";

const OK = "111122223333";
const REFUSED = "444455556666";
const ROLE_ERROR = `cannot assume role arn:aws:iam::${REFUSED}:role/s3ap-plan for account ${REFUSED}: AccessDenied`;

test("a role that cannot be assumed is reported once for its account, not once per access point", () => {
  const desired = [
    ...Array.from({ length: 12 }, (_, i) => desiredAp(`refused-${i}`, { accountId: REFUSED })),
    desiredAp("fine", { accountId: OK }),
    desiredAp("denied", { accountId: OK }),
  ];
  const live = new Map<string, LiveState>(
    desired.map((ap): [string, LiveState] => [
      accessPointKey(ap),
      ap.accountId === REFUSED
        ? { kind: "error", code: "AssumeRoleFailed", message: ROLE_ERROR }
        : ap.name === "denied"
          ? { kind: "error", code: "AccessDenied", message: "access denied for denied" }
          : { kind: "none" },
    ]),
  );
  const text = renderPlanText(plan(desired, live, null), { color: false });
  expect(text.split(ROLE_ERROR).length - 1).toBe(1);
  expect(text).toContain(`account ${REFUSED}: all 12 access points failed`);
  expect(text).toMatch(/access points: .*refused-0.*, and 2 more/);
  // An access point's own error is still its own.
  expect(text).toContain("access denied for denied");
  expect(text).toContain("0 unchanged, 13 errors");
});
