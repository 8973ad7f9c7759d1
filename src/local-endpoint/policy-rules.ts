// The checks AWS makes on PutAccessPointPolicy that moto skips, and the IsPublic verdict of
// GetAccessPointPolicyStatus.

/** AWS's documented policy size limit (20 KB), measured here on the compact JSON. */
export const MAX_POLICY_BYTES = 20 * 1024;

/** Why AWS would refuse this policy text with MalformedPolicy, or undefined if acceptable. */
export function malformedPolicyReason(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "Policies must be valid JSON and the first byte must be '{'";
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return "Policies must be valid JSON and the first byte must be '{'";
  }
  // NOTE: AWS measures its own normalized form; compact JSON is the closest public proxy.
  const size = Buffer.byteLength(JSON.stringify(parsed), "utf8");
  if (size > MAX_POLICY_BYTES) {
    return `Policy document is ${size} bytes, larger than the maximum of ${MAX_POLICY_BYTES} bytes`;
  }
  const statement = (parsed as Record<string, unknown>).Statement;
  if (statement === undefined) return "Missing required field Statement";
  if (Array.isArray(statement) && statement.length === 0) return "Missing required field Statement";
  return undefined;
}

function grantsEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal !== null && typeof principal === "object" && !Array.isArray(principal)) {
    const aws = (principal as Record<string, unknown>).AWS;
    return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
  }
  return false;
}

/**
 * A simplified IsPublic: an Allow statement for every principal without any Condition.
 * (AWS's real analysis also treats some conditions as non-restrictive; moto always says true.)
 */
export function isPublicPolicy(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  const raw = (parsed as Record<string, unknown> | null)?.Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.some((s) => {
    if (s === null || typeof s !== "object") return false;
    const st = s as Record<string, unknown>;
    const noCondition =
      st.Condition === undefined ||
      (typeof st.Condition === "object" &&
        st.Condition !== null &&
        Object.keys(st.Condition).length === 0);
    return st.Effect === "Allow" && grantsEveryone(st.Principal) && noCondition;
  });
}
