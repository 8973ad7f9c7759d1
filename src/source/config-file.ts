// The desired state is the policies folder and one file beside it at the repository root:
// s3ap.yaml, the repository's own settings (roles per account). Whatever revision the policies are
// read from, s3ap.yaml is read from that same revision.
export const CONFIG_FILE = "s3ap.yaml";
