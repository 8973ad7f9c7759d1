// s3ap's Node.js policy in one place: Node 20 is end-of-life (2026-04-30) and AWS SDK releases
// after the first week of January 2027 require Node 22, so s3ap runs on Node 20 until then and
// says so in one line of its own, instead of the SDK's eight-line NodeVersionSupportWarning.

/** The oldest Node.js major the AWS SDK keeps supporting after January 2027. */
export const RECOMMENDED_NODE_MAJOR = 22;

/** The line to show on an old Node.js, or undefined. */
export function nodeSupportNotice(version: string): string | undefined {
  const major = Number.parseInt(version.replace(/^v/, ""), 10);
  if (!Number.isInteger(major) || major >= RECOMMENDED_NODE_MAJOR) return undefined;
  return (
    `Node.js ${version} is end-of-life; s3ap supports it until January 2027, when the AWS SDK ` +
    `drops it: use Node.js ${RECOMMENDED_NODE_MAJOR} or 24`
  );
}

/**
 * Silences the SDK's own warning (it reads only this variable) and returns s3ap's line instead.
 * Called by the entries once, before any AWS client exists.
 */
export function replaceSdkNodeWarning(env: NodeJS.ProcessEnv, version: string): string | undefined {
  const notice = nodeSupportNotice(version);
  if (notice !== undefined) env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  return notice;
}
