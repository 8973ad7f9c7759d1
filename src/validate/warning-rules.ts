// The rules whose problems can be warnings: the only ones an s3ap.yaml exception may excuse
// (errors are things AWS refuses or s3ap's guards, such as `public`, and are never excused).
export const WARNING_RULES: readonly string[] = [
  "access-analyzer",
  "action",
  "condition-key",
  "create-session",
  "policy-size",
  "region",
  "sid",
];
