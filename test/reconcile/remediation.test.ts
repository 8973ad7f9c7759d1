import { describe, expect, test } from "vitest";
import {
  type DriftFacts,
  type RemediationSettings,
  remediationOf,
} from "../../src/reconcile/remediation.js";

const drift = (overrides: Partial<DriftFacts> = {}): DriftFacts => ({
  mode: "enforce",
  origin: "drift",
  driftAccess: "widens",
  exceptedBy: undefined,
  ...overrides,
});
const revertWidening: RemediationSettings = {
  remediate: { widening: "revert", narrowing: "report" },
  paused: undefined,
};

describe("remediation decision", () => {
  test("widening drift follows remediate.widening, narrowing drift remediate.narrowing", () => {
    expect(remediationOf(drift(), revertWidening)).toEqual({
      action: "revert",
      rule: "remediate.widening",
      text: "remediate.widening: revert — live widens access",
    });
    expect(remediationOf(drift({ driftAccess: "narrows" }), revertWidening)).toEqual({
      action: "report",
      rule: "remediate.narrowing",
      text: "remediate.narrowing: report — live narrows access",
    });
  });

  test("mixed drift counts as widening, same as narrowing", () => {
    expect(remediationOf(drift({ driftAccess: "mixed" }), revertWidening).action).toBe("revert");
    expect(remediationOf(drift({ driftAccess: "same" }), revertWidening).rule).toBe(
      "remediate.narrowing",
    );
  });

  test("without remediate everything is reported, and the text says it is the default", () => {
    expect(remediationOf(drift(), { remediate: undefined, paused: undefined })).toEqual({
      action: "report",
      rule: "remediate.widening",
      text: "remediate.widening: report, the default — live widens access",
      byDefault: true,
    });
  });

  test("a pause, an exception, observe mode and a change of the files each report, named", () => {
    const paused = {
      ...revertWidening,
      paused: { reason: "INC-42", until: "2026-01-10", untilPosition: { line: 1, col: 1 } },
    };
    expect(remediationOf(drift(), paused)).toMatchObject({ action: "report", rule: "paused" });
    expect(remediationOf(drift(), paused).text).toBe(
      "paused until 2026-01-10 (INC-42): every run reports only",
    );
    expect(remediationOf(drift({ exceptedBy: "legacy" }), revertWidening)).toMatchObject({
      action: "report",
      rule: "exception",
    });
    expect(remediationOf(drift({ mode: "observe" }), revertWidening).rule).toBe("mode");
    expect(remediationOf(drift({ origin: "change+drift" }), revertWidening).rule).toBe("not-drift");
  });

  test("the pause comes before every other rule", () => {
    const paused = {
      ...revertWidening,
      paused: { reason: "x", until: "2026-01-10", untilPosition: { line: 1, col: 1 } },
    };
    expect(remediationOf(drift({ exceptedBy: "a", mode: "observe" }), paused).rule).toBe("paused");
  });
});
