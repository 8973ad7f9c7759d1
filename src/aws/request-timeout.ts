// How long one AWS request may take unless --request-timeout-ms says otherwise (S3 Control and
// IAM Access Analyzer alike). Its own module, free of the SDK: the option table (run/options.ts)
// reads it, and `s3ap validate` must not load the AWS SDK just to know a default.
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
