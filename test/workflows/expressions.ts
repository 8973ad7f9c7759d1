// GitHub Actions expressions evaluated by GitHub's own evaluator (@actions/expressions), so the
// workflow tests can ask what a `concurrency.group` or an `if:` comes to for a given event.
import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";

export type Contexts = Record<string, unknown>;

// Status functions as on a run where every earlier step succeeded.
const STATUS: FunctionDefinition[] = [
  { name: "always", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
  { name: "success", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(true) },
  { name: "failure", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(false) },
  { name: "cancelled", minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(false) },
];

function evaluateExpression(expression: string, contexts: Contexts): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, Object.keys(contexts), STATUS).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(
    parsed,
    context,
    new Map(STATUS.map((f) => [f.name.toLowerCase(), f])),
  ).evaluate();
}

/** A value that may hold `${{ … }}` templates, as GitHub turns it into a string. */
export function evaluateTemplate(value: unknown, contexts: Contexts): string {
  return String(value ?? "").replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    evaluateExpression(expression.trim(), contexts).coerceString(),
  );
}

/** An `if:` condition (with or without `${{ }}`); a missing one is `success()`. */
export function evaluateCondition(condition: unknown, contexts: Contexts): boolean {
  if (condition === undefined || condition === null) return true;
  const text = String(condition).trim();
  const bare = /^\$\{\{([\s\S]*)\}\}$/.exec(text)?.[1] ?? text;
  return truthy(evaluateExpression(bare.trim(), contexts));
}
