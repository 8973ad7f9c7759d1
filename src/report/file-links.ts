// Links from a report to a policy file at the commit it describes (GitHub's blob URLs), so a
// reviewer lands on the line that is planned, not on whatever the branch holds later.

/** A link to a file of the repository, at its line when given; undefined when none can be made. */
export type FileLink = (file: string, line?: number) => string | undefined;

export interface BlobLocation {
  /** GITHUB_SERVER_URL, e.g. https://github.com */
  serverUrl: string;
  /** GITHUB_REPOSITORY: owner/name */
  repository: string;
  /** The commit the report describes. */
  commit: string | null;
}

/** `<server>/<owner>/<name>/blob/<commit>/<file>#L<line>`; no link without a commit. */
export function blobLinks(location: BlobLocation): FileLink {
  return (file, line) => {
    if (location.commit === null || !/^[0-9a-f]{7,64}$/i.test(location.commit)) return undefined;
    const path = file
      .split("/")
      .map((segment) => encodeURIComponent(segment))
      .join("/");
    const anchor = line !== undefined && Number.isInteger(line) && line > 0 ? `#L${line}` : "";
    return `${location.serverUrl.replace(/\/+$/, "")}/${location.repository}/blob/${location.commit}/${path}${anchor}`;
  };
}
