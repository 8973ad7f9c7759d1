// The SARIF sink: every text from outside that a SARIF log carries as a plain text message.
//
// NOTE: SARIF 2.1.0 §3.11.6 lets a plain text message embed links, `[text](destination)`, which
// viewers (GitHub code scanning among them) render as links; inside link text a literal `[`, `]`
// or `\` is written with a backslash before it. A message that quotes a policy file could
// otherwise carry a link of the file author's choosing. So every `\`, `[` and `]` gets a
// backslash (no embedded link can start or end), and controls and bidi characters are shown as
// `\uXXXX`, as on a terminal (the JSON sink then writes the document).
import { showControls } from "./terminal.js";

/** A plain text message (`message.text`) that no SARIF viewer reads as an embedded link. */
export function sarifMessageText(text: string): string {
  return showControls(text).replace(/[\\[\]]/g, "\\$&");
}
