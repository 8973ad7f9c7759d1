// Links from a report to a policy file at the commit it describes (GitHub's blob URLs) and to the
// commit itself, so a reviewer lands on the line that is planned, not on whatever the branch holds
// later.

/** A link to a file of the repository, at its line when given; undefined when none can be made. */
export type FileLink = (file: string, line?: number) => string | undefined;

/** What a report may link to. */
export interface ReportLinks {
  file?: FileLink;
  commit?: (sha: string) => string | undefined;
}

export interface BlobLocation {
  /** GITHUB_SERVER_URL, e.g. https://github.com */
  serverUrl: string;
  /** GITHUB_REPOSITORY: owner/name */
  repository: string;
  /** The commit the report describes. */
  commit: string | null;
}

const SHA = /^[0-9a-f]{7,64}$/i;

function repositoryUrl(location: BlobLocation): string {
  return `${location.serverUrl.replace(/\/+$/, "")}/${location.repository}`;
}

/** `<server>/<owner>/<name>/blob/<commit>/<file>#L<line>`; no link without a commit. */
export function blobLinks(location: BlobLocation): FileLink {
  return (file, line) => {
    if (location.commit === null || !SHA.test(location.commit)) return undefined;
    const path = file
      .split("/")
      .map((segment) => encodeURIComponent(segment))
      .join("/");
    const anchor = line !== undefined && Number.isInteger(line) && line > 0 ? `#L${line}` : "";
    return `${repositoryUrl(location)}/blob/${location.commit}/${path}${anchor}`;
  };
}

/** Links into a GitHub repository: files at the commit, and commits. */
export function gitHubLinks(location: BlobLocation): ReportLinks {
  return {
    file: blobLinks(location),
    commit: (sha) => (SHA.test(sha) ? `${repositoryUrl(location)}/commit/${sha}` : undefined),
  };
}
