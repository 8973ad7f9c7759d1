// An s3ap.yaml exception as the config checker builds it, for engine and report tests.
import type { PolicyException } from "../../src/model.js";

export function policyException(overrides: Partial<PolicyException> = {}): PolicyException {
  return {
    id: "legacy",
    accessPoints: "reports*",
    owner: "team-data",
    reason: "partner moves in March",
    expires: "2026-03-31",
    position: { line: 2, col: 5 },
    expiresPosition: { line: 6, col: 14 },
    ...overrides,
  };
}
