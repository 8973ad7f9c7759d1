// The GitHub workflow-command sink: `::error file=…,line=…::message` built in one place, with
// the property and data escaping the runner undoes (actions/runner ActionCommand.cs).
//
// Why not @actions/core's issueCommand: it escapes the same characters but would still pass ESC
// sequences, bidi overrides and `##[` into the annotation and the log; here every property and
// message first shows its controls as the terminal sink does.
// Plain log text (not a command) needs nothing more than terminalText: see its NOTE.
import { showControls } from "./terminal.js";

/** Controls shown; a legacy `##[` made inert (the runner tries it when a `::` line fails). */
function commandText(text: string): string {
  return showControls(text).replace(/##\[/g, "##\\u005b");
}

/** Data (the message): the runner unescapes %25, %0D, %0A. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value: additionally `:` and `,`, which end the property list or a property. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type WorkflowCommandName = "error" | "warning" | "notice" | "debug";

export type CommandProperties = Record<string, string | number | undefined>;

/**
 * One workflow command line. Only the commands s3ap needs can be named (never `add-mask`,
 * `stop-commands`, `set-output`); every property value and the message may come from outside.
 * Multi-line messages keep their line breaks as %0A; every other control character is shown.
 */
export function workflowCommand(
  command: WorkflowCommandName,
  properties: CommandProperties,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "",
    )
    .map(([key, value]) => `${key}=${escapeProperty(commandText(String(value)))}`)
    .join(",");
  const data = message.split(/\r?\n/).map(commandText).join("\n");
  return `::${command}${props === "" ? "" : ` ${props}`}::${escapeData(data)}\n`;
}
