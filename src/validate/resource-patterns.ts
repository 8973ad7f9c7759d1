// Which Resource values name an access point's objects.

/**
 * Whether `value` is `<arn>/` followed by a pattern that only matches object paths of the access
 * point: `object/...`, or a wildcard such as `*` that covers `object/...` (AWS documents
 * `accesspoint/NAME/*` for the objects of an access point).
 */
export function coversObjectsOnly(value: string, arn: string): boolean {
  if (!value.startsWith(arn) || value[arn.length] !== "/") return false;
  // Read in place: no `${arn}/` or rest-of-value string is built for each Resource.
  const start = arn.length + 1;
  const prefix = "object/";
  for (let i = 0; i < prefix.length; i++) {
    const c = value[start + i];
    if (c === undefined) return false;
    if (c === "*") return true;
    if (c !== "?" && c !== prefix[i]) return false;
  }
  return true;
}
