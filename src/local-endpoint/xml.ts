// The small slice of XML that S3 Control's REST-XML protocol needs: escaping text, reading the
// text of a top-level element from a request body, and AWS's error envelope.

export const S3_CONTROL_XMLNS = "http://awss3control.amazonaws.com/doc/2018-08-20/";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (ch) => ESCAPES[ch] ?? ch);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

/**
 * The decoded text of the first `<tag>` element in `xml`, or undefined when absent.
 * Enough for request bodies whose members are simple text (Bucket, Policy): their content
 * cannot hold a literal `<`, so the first closing tag ends the element. CDATA is honoured.
 */
export function elementText(xml: string, tag: string): string | undefined {
  const open = new RegExp(`<${tag}(\\s[^>]*)?(/?)>`);
  const match = open.exec(xml);
  if (!match) return undefined;
  if (match[2] === "/") return "";
  const start = match.index + match[0].length;
  const end = xml.indexOf(`</${tag}>`, start);
  if (end < 0) return undefined;
  const inner = xml.slice(start, end);
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(inner);
  return cdata ? (cdata[1] ?? "") : unescapeXml(inner);
}

/**
 * The decoded text of every `<tag>` element in `xml`, in order (for lists such as a scope's
 * `<Prefix>` and `<Permission>` members, whose text cannot hold a literal `<`).
 */
export function elementTexts(xml: string, tag: string): string[] {
  const texts: string[] = [];
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([^<]*)</${tag}>)`, "g");
  for (const match of xml.matchAll(pattern)) texts.push(unescapeXml(match[1] ?? ""));
  return texts;
}

/** A child element with escaped text; omitted entirely when the value is undefined. */
export function el(tag: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return "";
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

/** A complete response document with S3 Control's namespace on the root element. */
export function responseDocument(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_CONTROL_XMLNS}">${inner}</${root}>`;
}

/**
 * S3 Control's error envelope. The SDK reads `Error.Code` as the exception name and
 * `Error.Message` as its message (loadRestXmlErrorCode in @aws-sdk/core).
 */
export function errorDocument(
  code: string,
  message: string,
  requestId: string,
  extra: Record<string, string> = {},
): string {
  const type = code === "InternalError" || code === "SlowDown" ? "Receiver" : "Sender";
  const extras = Object.entries(extra)
    .map(([k, v]) => el(k, v))
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${S3_CONTROL_XMLNS}"><Error>${el("Type", type)}${el("Code", code)}${el("Message", message)}${extras}</Error>${el("RequestId", requestId)}${el("HostId", requestId)}</ErrorResponse>`;
}
