// GitHub Actions workflow commands (`::error file=...::message`), escaped the way the runner
// unescapes them: %, \r, \n in the message; additionally : and , in property values.

export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type CommandProperties = Record<string, string | number | undefined>;

export function workflowCommand(
  command: string,
  properties: CommandProperties,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "",
    )
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${command}${props === "" ? "" : ` ${props}`}::${escapeData(message)}\n`;
}
