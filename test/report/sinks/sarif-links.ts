// The embedded links a SARIF viewer finds in a plain text message: SARIF 2.1.0 §3.11.6's
// grammar (`[`, link text, `](`, destination, `)`; in link text `\` escapes `\`, `[` and `]`).

export interface EmbeddedLink {
  text: string;
  destination: string;
}

export function sarifEmbeddedLinks(message: string): EmbeddedLink[] {
  const links: EmbeddedLink[] = [];
  let i = 0;
  while (i < message.length) {
    const c = message[i];
    if (c === "\\" && "\\[]".includes(message[i + 1] ?? "")) {
      i += 2;
      continue;
    }
    if (c !== "[") {
      i += 1;
      continue;
    }
    const link = linkAt(message, i);
    if (link === undefined) i += 1;
    else {
      links.push(link.link);
      i = link.end;
    }
  }
  return links;
}

function linkAt(message: string, open: number): { link: EmbeddedLink; end: number } | undefined {
  let text = "";
  let i = open + 1;
  while (i < message.length) {
    const c = message[i] as string;
    if (c === "\\" && "\\[]".includes(message[i + 1] ?? "")) {
      text += message[i + 1];
      i += 2;
    } else if (c === "[") return undefined;
    else if (c === "]") break;
    else {
      text += c;
      i += 1;
    }
  }
  if (message.slice(i, i + 2) !== "](") return undefined;
  const close = message.indexOf(")", i + 2);
  if (close === -1) return undefined;
  const destination = message.slice(i + 2, close);
  if (destination === "" || /\s/.test(destination)) return undefined;
  return { link: { text, destination }, end: close + 1 };
}
