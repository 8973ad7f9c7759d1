// GitHub Actions expressions evaluated by GitHub's own evaluator (@actions/expressions), so the
// workflow tests can ask what a `concurrency.group` or an `if:` comes to for a given event.
import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";

export type Contexts = Record<string, unknown>;

/** The status functions, as on a run where an earlier step failed (or none did). */
function statusFunctions(failed: boolean): FunctionDefinition[] {
  const constant = (name: string, value: boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value),
  });
  return [
    constant("always", true),
    constant("success", !failed),
    constant("failure", failed),
    constant("cancelled", false),
  ];
}

const STATUS_CALL = /\b(always|success|failure|cancelled)\(\)/;

function evaluateExpression(
  expression: string,
  contexts: Contexts,
  failed = false,
): data.ExpressionData {
  const status = statusFunctions(failed);
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, Object.keys(contexts), status).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(
    parsed,
    context,
    new Map(status.map((f) => [f.name.toLowerCase(), f])),
  ).evaluate();
}

/** A value that may hold `${{ … }}` templates, as GitHub turns it into a string. */
export function evaluateTemplate(value: unknown, contexts: Contexts): string {
  return String(value ?? "").replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    evaluateExpression(expression.trim(), contexts).coerceString(),
  );
}

/**
 * An `if:` condition (with or without `${{ }}`); a missing one is `success()`, and one without a
 * status function is `success() && (it)`, as GitHub reads them. `failed`: an earlier step failed.
 */
export function evaluateCondition(condition: unknown, contexts: Contexts, failed = false): boolean {
  if (condition === undefined || condition === null) return !failed;
  const text = String(condition).trim();
  const bare = (/^\$\{\{([\s\S]*)\}\}$/.exec(text)?.[1] ?? text).trim();
  if (!STATUS_CALL.test(bare) && failed) return false;
  return truthy(evaluateExpression(bare, contexts, failed));
}
