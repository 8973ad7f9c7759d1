// The exact search behind the access verdict: requests (caller, action, resource, condition
// values) whose answer differs between two policies. IAM answers a request to a resource policy
// with an explicit deny (a matching Deny), an allow (a matching Allow) or nothing ("Policy
// evaluation logic"); a request whose answer goes up is a witness that the change widens
// access, one whose answer goes down that it narrows it.
//
// The request space is cut one dimension at a time — caller, action, the policy variables,
// resource, then each condition key — into sample values that tell apart every way the
// statements can match (callers.ts, glob-regions.ts, condition-clause.ts). Where the statements
// left on both sides are the same, no request below can tell the policies apart, and that part
// is not searched further: so a change costs what it touches, not the size of the space. Where
// the samples may miss a case (an operator or value IAM would not compare, a policy variable
// in a position no rule covers), the search says so instead of claiming a direction.
import { appendAll } from "../append-all.js";
import type { Caller } from "./callers.js";
import {
  type Clause,
  clauseHolds,
  keySamples,
  type Lookup,
  type RequestValue,
  segmentPattern,
  substitute,
  variablesIn,
} from "./condition-clause.js";
import { glob, literal, matches, type Pattern, regionsOf } from "./glob-regions.js";
import { EVERYONE } from "./statement-dimensions.js";

/** -1: explicitly denied; 0: the policy says nothing; 1: allowed. */
export type Answer = -1 | 0 | 1;

/** One side of a statement: the values it matches ("in"), or those it excludes ("notIn"). */
export interface Dimension {
  kind: "in" | "notIn";
  values: readonly string[];
}

/** A statement as the search reads it; `undefined` parts are ones s3ap cannot read. */
export interface SearchStatement {
  side: 0 | 1;
  /** undefined: not Allow or Deny (it could be read as either). */
  effect: "Allow" | "Deny" | undefined;
  /** Principal values `Type\0value` (canonical), "AWS\0*" for everyone. */
  principal: Dimension | undefined;
  /** Action patterns in lower case. */
  action: Dimension | undefined;
  resource: Dimension | undefined;
  clauses: readonly Clause[] | undefined;
  /** Whether `${...}` are policy variables here (Version 2012-10-17). */
  variables: boolean;
  /** The statement's canonical JSON: its identity. */
  json: string;
  /** How reasons name it ("statement \"Read\"", "live statement 2"). */
  label: string;
}

/** An action a request can carry, and what it acts on. */
export interface ActionSample {
  /** Lower case, with the service prefix. */
  lower: string;
  /** IAM's spelling, with the service prefix. */
  display: string;
  kinds: readonly ("access-point" | "object")[];
}

/** What a request carries for a key, given its action and resource. */
export type KeyPresence = { kind: "free" } | { kind: "absent" } | { kind: "fixed"; value: string };

export interface SearchInput {
  statements: readonly SearchStatement[];
  callers: readonly Caller[];
  actions: readonly ActionSample[];
  /** The access point's ARN: resources are it or `ARN/object/...`; undefined: any string. */
  accessPointArn: string | undefined;
  presence: (
    key: string,
    action: ActionSample,
    kind: ActionSample["kinds"][number] | undefined,
  ) => KeyPresence;
  /** Only a request newly allowed is a witness of widening (one no longer denied is not). */
  grantsOnly?: boolean;
}

export interface Request {
  caller: Caller;
  action: ActionSample;
  resource: string;
  /** The condition keys the search decided, with their values (undefined: absent). */
  context: ReadonlyMap<string, RequestValue>;
}

export interface Witness {
  request: Request;
  before: Answer;
  after: Answer;
  /** The statements that matched the request, per side (before, after). */
  matched: [SearchStatement[], SearchStatement[]];
}

export interface CallerFindings {
  caller: Caller;
  up: Witness | undefined;
  down: Witness | undefined;
}

export interface SearchResult {
  findings: CallerFindings[];
  /** Why the search could not rule a direction out, where it found no witness for it. */
  unsure: { up: Set<string>; down: Set<string> };
}

const MAX_UNKNOWNS = 8;

interface Active {
  s: SearchStatement;
  /** Clauses not yet decided. */
  clauses: readonly Clause[];
  /** Things s3ap cannot decide for this request: their identities. */
  unknowns: readonly string[];
}

interface Node {
  active: readonly Active[];
  action: ActionSample | undefined;
  resource: string | undefined;
  /** What the resource is (undefined until decided, or when the access point is unknown). */
  kind: ResourceKind | undefined;
  context: Map<string, RequestValue>;
  phase: "action" | "variables" | "resource" | "conditions";
}

type ResourceKind = ActionSample["kinds"][number];

interface ResourceSamples {
  list: Array<[string, ResourceKind | undefined]>;
  /** For each sample, the Resource values (their identities) that match it. */
  hits: Set<string>[];
  complete: boolean;
}

interface CallerState {
  caller: Caller;
  up: Witness | undefined;
  down: Witness | undefined;
}

/** Requests whose answer differs between the two sides, one per caller and direction. */
export function searchRequests(input: SearchInput): SearchResult {
  const unsure = { up: new Set<string>(), down: new Set<string>() };
  const findings: CallerFindings[] = [];
  /** Resource samples and which patterns match each, by the patterns and the action's kinds. */
  const resourceCache = new Map<string, ResourceSamples>();
  /** Action samples, by the statements and condition keys they are told apart for. */
  const actionCache = new Map<string, ActionSample[]>();
  const statementIndex = new Map(input.statements.map((s, i) => [s, i]));
  // Which actions each statement matches, worked out once per statement over the action list.
  const actionIndex = new Map(input.actions.map((action, i) => [action, i]));
  const actionMatch = new Map<SearchStatement, Uint8Array>();
  const actionHits = (s: SearchStatement): Uint8Array => {
    let hits = actionMatch.get(s);
    if (hits === undefined) {
      const d = s.action as Dimension;
      hits = new Uint8Array(input.actions.length);
      for (const p of d.values) {
        const matched = patternHits(input.actions, p);
        for (let i = 0; i < hits.length; i++)
          hits[i] = (hits[i] as number) | (matched[i] as number);
      }
      if (d.kind === "notIn")
        for (let i = 0; i < hits.length; i++) hits[i] = 1 - (hits[i] as number);
      actionMatch.set(s, hits);
    }
    return hits;
  };
  const matchesAction = (s: SearchStatement, action: ActionSample): boolean => {
    const i = actionIndex.get(action);
    if (i !== undefined) return actionHits(s)[i] === 1;
    const d = s.action as Dimension;
    const any = d.values.some((p) => matches(glob(p), action.lower));
    return d.kind === "in" ? any : !any;
  };
  /** For each action, what its requests on each kind of resource carry for `keys`, as text. */
  const carriedCache = new Map<string, string[]>();
  const carriedKeys = (keys: readonly string[]): string[] => {
    const id = keys.join("\u0000");
    let carried = carriedCache.get(id);
    if (carried === undefined) {
      carried = input.actions.map((action) => {
        let text = action.kinds.join(",");
        for (const key of keys) {
          for (const kind of action.kinds.length === 0 ? [undefined] : action.kinds) {
            text += presence(key, action, kind).kind[0];
          }
        }
        return text;
      });
      carriedCache.set(id, carried);
    }
    return carried;
  };
  // What each action's requests carry for each key, asked once.
  const presenceCache = new Map<string, KeyPresence>();
  const presence = (key: string, action: ActionSample, kind: ResourceKind | undefined) => {
    const id = `${actionIndex.get(action) ?? action.lower}\u0000${kind ?? ""}\u0000${key}`;
    let p = presenceCache.get(id);
    if (p === undefined) {
      p = input.presence(key, action, kind);
      presenceCache.set(id, p);
    }
    return p;
  };

  // Callers that the statements match alike, and whose tested keys hold alike, get the same
  // answers: the search runs once for each such class, and each member gets its witnesses.
  const tested = new Set<string>();
  for (const s of input.statements) {
    for (const c of s.clauses ?? []) {
      tested.add(c.key);
      if (s.variables) for (const v of c.values) for (const k of variablesIn(v)) tested.add(k);
    }
    if (s.variables) {
      for (const v of s.resource?.values ?? []) for (const k of variablesIn(v)) tested.add(k);
    }
  }
  const classes = new Map<string, Caller[]>();
  for (const caller of input.callers) {
    let signature = "";
    for (const s of input.statements) {
      signature += s.principal === undefined ? "?" : principalMatches(s, caller) ? "1" : "0";
    }
    for (const key of tested) {
      signature += caller.derived.has(key) ? `|${key}=${caller.derived.get(key) ?? "\u0000"}` : "|";
    }
    const members = classes.get(signature);
    if (members === undefined) classes.set(signature, [caller]);
    else members.push(caller);
  }
  for (const members of classes.values()) {
    const caller = members[0] as Caller;
    const state: CallerState = { caller, up: undefined, down: undefined };
    const active: Active[] = [];
    for (const s of input.statements) {
      const m = s.principal === undefined ? undefined : principalMatches(s, caller);
      if (m === false) continue;
      active.push({
        s,
        clauses: s.clauses ?? [],
        unknowns: m === undefined || s.clauses === undefined ? [`statement:${s.json}`] : [],
      });
    }
    explore(
      {
        active,
        action: undefined,
        resource: undefined,
        kind: undefined,
        context: new Map(caller.derived),
        phase: "action",
      },
      state,
    );
    if (state.up === undefined && state.down === undefined) continue;
    for (const member of members) {
      const as = (w: Witness | undefined): Witness | undefined =>
        w === undefined ? undefined : { ...w, request: { ...w.request, caller: member } };
      findings.push({ caller: member, up: as(state.up), down: as(state.down) });
    }
  }
  return { findings, unsure };

  function explore(node: Node, state: CallerState): void {
    const possible = directions(node.active);
    const wantUp = possible.up && state.up === undefined;
    const wantDown = possible.down && state.down === undefined;
    if (!wantUp && !wantDown) return;
    if (sameOnBothSides(node)) return;
    switch (node.phase) {
      case "action":
        exploreActions(node, state);
        break;
      case "variables":
        exploreVariables(node, state, wantUp, wantDown);
        break;
      case "resource":
        exploreResources(node, state, wantUp, wantDown);
        break;
      case "conditions":
        exploreConditions(node, state, wantUp, wantDown);
        break;
    }
  }

  function exploreActions(node: Node, state: CallerState): void {
    // Actions the statements match alike, that act on the same kinds of resource and whose
    // requests carry the same condition keys, get the same answers: one stands for all.
    const keys = [...new Set(node.active.flatMap((a) => a.clauses.map((c) => c.key)))].sort();
    const cacheKey = `${keys.join(",")}\u0000${node.active.map((a) => statementIndex.get(a.s)).join(",")}`;
    const cached = actionCache.get(cacheKey);
    if (cached !== undefined) {
      for (const action of cached) {
        const active = node.active.filter(
          (a) => a.s.action === undefined || matchesAction(a.s, action),
        );
        explore({ ...node, active, action, phase: "variables" }, state);
      }
      return;
    }
    const groups = new Map<string, ActionSample>();
    const carried = carriedKeys(keys);
    const hits = node.active.map((a) => (a.s.action === undefined ? undefined : actionHits(a.s)));
    input.actions.forEach((action, i) => {
      let signature = carried[i] as string;
      for (const h of hits) signature += h === undefined ? "?" : (h[i] as number);
      if (!groups.has(signature)) groups.set(signature, action);
    });
    actionCache.set(cacheKey, [...groups.values()]);
    for (const action of groups.values()) {
      const active = node.active.filter(
        (a) => a.s.action === undefined || matchesAction(a.s, action),
      );
      explore({ ...node, active, action, phase: "variables" }, state);
    }
  }

  function lookupOf(context: ReadonlyMap<string, RequestValue>): Lookup {
    return (key) => context.get(key);
  }

  /** The policy variables the active statements use, not yet decided. */
  function pendingVariables(node: Node): string[] {
    const keys = new Set<string>();
    for (const a of node.active) {
      if (!a.s.variables) continue;
      for (const value of a.s.resource?.values ?? [])
        for (const k of variablesIn(value)) keys.add(k);
      for (const clause of a.clauses) {
        for (const value of clause.values) for (const k of variablesIn(value)) keys.add(k);
      }
    }
    return [...keys].filter((k) => !node.context.has(k)).sort();
  }

  function exploreVariables(node: Node, state: CallerState, wantUp: boolean, wantDown: boolean) {
    const key = pendingVariables(node)[0];
    if (key === undefined) {
      explore({ ...node, phase: "resource" }, state);
      return;
    }
    const { values, complete, why } = samplesFor(
      node,
      key,
      undefined,
      variableCandidates(node, key),
    );
    exploreKey(node, state, key, values, "variables");
    if (!complete) noteUnsure(state, wantUp, wantDown, why);
  }

  function resourceSamples(node: Node): {
    samples: ResourceSamples;
    /** The identity of a Resource value in `samples.hits`; undefined: it cannot be resolved. */
    keyOf: (s: SearchStatement, text: string) => string | undefined;
  } {
    const lookup = lookupOf(node.context);
    const action = node.action as ActionSample;
    const keys = new Map<string, string | undefined>();
    const patterns = new Map<string, Pattern>();
    const keyOf = (s: SearchStatement, text: string): string | undefined => {
      const raw = `${s.variables ? "v" : "l"}${text}`;
      if (keys.has(raw)) return keys.get(raw);
      const segments = substitute(text, s.variables, lookup);
      let key: string | undefined;
      if (segments !== undefined) {
        key = segments.length === 1 ? raw : `${raw}\u0000${JSON.stringify(segments)}`;
        patterns.set(
          key,
          segmentPattern(segments, (t) => glob(t)),
        );
      }
      keys.set(raw, key);
      return key;
    };
    for (const a of node.active) for (const text of a.s.resource?.values ?? []) keyOf(a.s, text);
    const ids = [...patterns.keys()].sort();
    const cacheKey = `${action.kinds.join(",")}\u0001${ids.join("\u0001")}`;
    let samples = resourceCache.get(cacheKey);
    if (samples === undefined) {
      const all = ids.map((id) => patterns.get(id) as Pattern);
      const list: Array<[string, ResourceKind | undefined]> = [];
      let complete = true;
      const arn = input.accessPointArn;
      if (arn === undefined) {
        const found = regionsOf(all);
        complete = found.complete;
        for (const r of found.regions) list.push([r.text, undefined]);
      } else {
        if (action.kinds.includes("access-point")) list.push([arn, "access-point"]);
        if (action.kinds.includes("object")) {
          // An object key has at least one character.
          const found = regionsOf(all, [...literal(`${arn}/object/`), ...glob("?*")]);
          complete = found.complete;
          for (const r of found.regions) list.push([r.text, "object"]);
        }
      }
      const hits = list.map(
        ([resource]) => new Set(ids.filter((id) => matches(patterns.get(id) as Pattern, resource))),
      );
      samples = { list, hits, complete };
      resourceCache.set(cacheKey, samples);
    }
    return { samples, keyOf };
  }

  function exploreResources(node: Node, state: CallerState, wantUp: boolean, wantDown: boolean) {
    const { samples, keyOf } = resourceSamples(node);
    samples.list.forEach(([resource, kind], i) => {
      const hits = samples.hits[i] as Set<string>;
      const active: Active[] = [];
      for (const a of node.active) {
        const d = a.s.resource;
        if (d === undefined) {
          active.push(a);
          continue;
        }
        // A pattern with a policy variable the request does not carry leaves the statement
        // unresolved, and so not matching (see itemHolds in condition-clause.ts).
        let any = false;
        let unresolved = false;
        for (const text of d.values) {
          const key = keyOf(a.s, text);
          if (key === undefined) unresolved = true;
          else if (hits.has(key)) any = true;
        }
        if (!unresolved && (d.kind === "in" ? any : !any)) active.push(a);
      }
      explore({ ...node, active, resource, kind, phase: "conditions" }, state);
    });
    if (!samples.complete) {
      noteUnsure(state, wantUp, wantDown, "resource patterns too many to compare exactly");
    }
  }

  function exploreConditions(node: Node, state: CallerState, wantUp: boolean, wantDown: boolean) {
    const keys = new Set<string>();
    for (const a of node.active) for (const c of a.clauses) keys.add(c.key);
    const key = [...keys].sort()[0];
    if (key === undefined) {
      leaf(node, state);
      return;
    }
    const { values, complete, why } = samplesFor(node, key, node.kind);
    exploreKey(node, state, key, values, "conditions");
    if (!complete) noteUnsure(state, wantUp, wantDown, why);
  }

  /** Decides `key` for each sample value and explores what is left. */
  function exploreKey(
    node: Node,
    state: CallerState,
    key: string,
    values: readonly RequestValue[],
    phase: Node["phase"],
  ): void {
    for (const value of values) {
      const context = new Map(node.context);
      context.set(key, value);
      const lookup = lookupOf(context);
      const active: Active[] = [];
      for (const a of node.active) {
        if (!a.clauses.some((c) => c.key === key)) {
          active.push(a);
          continue;
        }
        let keep = true;
        const unknowns = [...a.unknowns];
        const clauses: Clause[] = [];
        for (const clause of a.clauses) {
          if (clause.key !== key) {
            clauses.push(clause);
            continue;
          }
          const holds = clauseHolds(clause, value, lookup);
          if (holds === false) {
            keep = false;
            break;
          }
          if (holds === undefined) unknowns.push(`clause:${clauseId(clause)}`);
        }
        if (keep) active.push({ s: a.s, clauses, unknowns });
      }
      explore({ ...node, active, context, phase }, state);
    }
  }

  /** Sample values of `key` for this node, as the request can carry it. */
  function samplesFor(
    node: Node,
    key: string,
    kind: ResourceKind | undefined,
    candidates: { extra: string[]; complete: boolean; why: string } = {
      extra: [],
      complete: true,
      why: "",
    },
  ): { values: RequestValue[]; complete: boolean; why: string } {
    const action = node.action as ActionSample;
    const presence = derivedPresence(node, key) ?? presenceOver(action, kind, key);
    if (presence.kind === "absent") return { values: [undefined], complete: true, why: "" };
    if (presence.kind === "fixed") return { values: [presence.value], complete: true, why: "" };
    const clauses = node.active.flatMap((a) => a.clauses.filter((c) => c.key === key));
    const found = keySamples(clauses, lookupOf(node.context), candidates.extra);
    const unknownOperator = clauses.find((c) => c.operator === undefined);
    return {
      values: found.values,
      complete: found.complete && candidates.complete,
      why: !candidates.complete
        ? candidates.why
        : unknownOperator !== undefined
          ? `the condition operator ${JSON.stringify(unknownOperator.operatorText)} is not one IAM knows`
          : `the values of ${key} too varied to compare exactly`,
    };
  }

  function derivedPresence(node: Node, key: string): KeyPresence | undefined {
    if (!node.context.has(key)) return undefined;
    const value = node.context.get(key);
    return value === undefined ? { kind: "absent" } : { kind: "fixed", value: value as string };
  }

  function presenceOver(
    action: ActionSample,
    kind: ResourceKind | undefined,
    key: string,
  ): KeyPresence {
    if (kind !== undefined || action.kinds.length === 0) return presence(key, action, kind);
    let fixed: KeyPresence | undefined;
    for (const k of action.kinds) {
      const p = presence(key, action, k);
      if (p.kind === "free") return p;
      if (p.kind === "fixed") fixed = p;
    }
    return fixed ?? { kind: "absent" };
  }

  /**
   * Values worth trying for a policy variable besides its own conditions' samples: the names
   * other patterns spell where the variable stands. Complete where every other pattern either
   * cannot meet the variable's (their literal starts differ), uses the same variable at the same
   * place, covers everything after the text before it, or names one path segment there (for
   * keys whose values hold no "/": IAM user names and user ids).
   */
  function variableCandidates(
    node: Node,
    key: string,
  ): { extra: string[]; complete: boolean; why: string } {
    const spaces: string[][] = [];
    spaces.push(
      node.active.flatMap((a) => (a.s.variables ? [...(a.s.resource?.values ?? [])] : [])),
    );
    const byKey = new Map<string, string[]>();
    for (const a of node.active) {
      if (!a.s.variables) continue;
      for (const c of a.clauses) byKey.set(c.key, [...(byKey.get(c.key) ?? []), ...c.values]);
    }
    appendAll(spaces, byKey.values());
    const extra = new Set<string>();
    let complete = true;
    const noSlash = key === "aws:username" || key === "aws:userid";
    for (const texts of spaces) {
      const distinct = [...new Set(texts)];
      for (const p of distinct) {
        const at = p.indexOf("${");
        if (at < 0 || variablesIn(p)[0] !== key) continue;
        if (variablesIn(p).length > 1) complete = false;
        const pre = p.slice(0, at);
        const head = p.slice(0, p.indexOf("}", at) + 1);
        const post = p.slice(head.length);
        for (const q of distinct) {
          if (q === p || q.startsWith(head)) continue;
          const literalQ = q.slice(0, firstWildcard(q));
          if (!literalQ.startsWith(pre) && !pre.startsWith(literalQ)) continue;
          if (!q.startsWith(pre)) {
            complete = false;
            continue;
          }
          const rest = q.slice(pre.length);
          if (rest === "*") continue;
          const slash = rest.indexOf("/");
          const segment = slash < 0 ? rest : rest.slice(0, slash);
          if (segment !== "" && firstWildcard(segment) === segment.length) extra.add(segment);
          if (
            !(
              noSlash &&
              post.startsWith("/") &&
              slash > 0 &&
              firstWildcard(segment) === segment.length
            )
          ) {
            complete = false;
          }
        }
      }
    }
    return {
      extra: [...extra],
      complete,
      why: `the policy variable \${${key}} is used where s3ap cannot compare every value it may take`,
    };
  }

  function leaf(node: Node, state: CallerState): void {
    const unknowns = [...new Set(node.active.flatMap((a) => a.unknowns))];
    const effects = node.active
      .filter((a) => a.s.effect === undefined)
      .map((a) => `effect:${a.s.json}`);
    const variables = [...new Set([...unknowns, ...effects])];
    const possible = directions(node.active);
    if (variables.length > MAX_UNKNOWNS) {
      noteUnsure(state, possible.up, possible.down, "too many parts s3ap cannot read");
      return;
    }
    let allUp = true;
    let allDown = true;
    let someUp = false;
    let someDown = false;
    let first: [Answer, Answer, [SearchStatement[], SearchStatement[]]] | undefined;
    for (let mask = 0; mask < 1 << variables.length; mask++) {
      const truth = (id: string) => (mask & (1 << variables.indexOf(id))) !== 0;
      const matched: [SearchStatement[], SearchStatement[]] = [[], []];
      const answers: [Answer, Answer] = [0, 0];
      for (const a of node.active) {
        if (!a.unknowns.every(truth)) continue;
        const effect = a.s.effect ?? (truth(`effect:${a.s.json}`) ? "Allow" : "Deny");
        matched[a.s.side].push(a.s);
        const side = a.s.side;
        if (effect === "Deny") answers[side] = -1;
        else if (answers[side] === 0) answers[side] = 1;
      }
      const [before, after] = answers;
      first ??= [before, after, matched];
      if (after > before && (after === 1 || input.grantsOnly !== true)) someUp = true;
      else allUp = false;
      if (after < before) someDown = true;
      else allDown = false;
    }
    const [before, after, matched] = first as NonNullable<typeof first>;
    const request = (): Request => ({
      caller: state.caller,
      action: node.action as ActionSample,
      resource: node.resource as string,
      context: node.context,
    });
    if (someUp && allUp && state.up === undefined)
      state.up = { request: request(), before, after, matched };
    if (someDown && allDown && state.down === undefined) {
      state.down = { request: request(), before, after, matched };
    }
    const why = describeUnknowns(variables);
    if (someUp && !allUp) unsure.up.add(why);
    if (someDown && !allDown) unsure.down.add(why);
  }

  function noteUnsure(state: CallerState, up: boolean, down: boolean, why: string): void {
    if (up && state.up === undefined) unsure.up.add(why);
    if (down && state.down === undefined) unsure.down.add(why);
  }
}

/** Whether a statement's Principal or NotPrincipal matches the caller. */
function principalMatches(s: SearchStatement, caller: Caller): boolean {
  const d = s.principal as Dimension;
  if (d.values.includes(EVERYONE)) return d.kind === "in";
  if (d.kind === "in") {
    const names = s.effect === "Allow" ? caller.allowNames : caller.names;
    return d.values.some((v) => names.has(v));
  }
  // NotPrincipal excludes a caller only when every name it goes by is listed.
  for (const name of caller.names) if (!d.values.includes(name)) return true;
  return false;
}

/** Whether some request below could get a higher (up) or a lower (down) answer after. */
function directions(active: readonly Active[]): { up: boolean; down: boolean } {
  let up = false;
  let down = false;
  for (const a of active) {
    const allow = a.s.effect !== "Deny";
    const deny = a.s.effect !== "Allow";
    if (a.s.side === 1 ? allow : deny) up = true;
    if (a.s.side === 0 ? allow : deny) down = true;
  }
  return { up, down };
}

/** For each action list (the same list for every verdict on one service), each pattern's hits. */
const hitsByList = new WeakMap<readonly ActionSample[], Map<string, Uint8Array>>();
const MAX_PATTERNS = 10_000;

/** Which actions of `actions` the action pattern `pattern` (lower case) matches. */
function patternHits(actions: readonly ActionSample[], pattern: string): Uint8Array {
  let byPattern = hitsByList.get(actions);
  if (byPattern === undefined) {
    byPattern = new Map();
    hitsByList.set(actions, byPattern);
  }
  let hits = byPattern.get(pattern);
  if (hits === undefined) {
    const compiled = glob(pattern);
    hits = new Uint8Array(actions.length);
    for (let i = 0; i < actions.length; i++) {
      hits[i] = matches(compiled, (actions[i] as ActionSample).lower) ? 1 : 0;
    }
    if (byPattern.size >= MAX_PATTERNS) byPattern.clear();
    byPattern.set(pattern, hits);
  }
  return hits;
}

/** The parts of a statement's identity that do not change during the search. */
const fixedParts = new WeakMap<
  SearchStatement,
  { head: string; action: string; resource: string }
>();

const remainders = new WeakMap<Active, Array<string | undefined>>();

/** The identity of what is left of a statement at this node (cached: nodes share Actives). */
function remainder(a: Active, node: Node): string {
  const slot = (node.action === undefined ? 0 : 1) + (node.resource === undefined ? 0 : 2);
  let cached = remainders.get(a);
  if (cached === undefined) {
    cached = [undefined, undefined, undefined, undefined];
    remainders.set(a, cached);
  }
  let id = cached[slot];
  if (id === undefined) {
    id = remainderOf(a, node);
    cached[slot] = id;
  }
  return id;
}

function remainderOf(a: Active, node: Node): string {
  let parts = fixedParts.get(a.s);
  if (parts === undefined) {
    parts = {
      head: `${a.s.effect ?? "?"}|${a.s.principal === undefined || a.s.clauses === undefined ? a.s.json : ""}`,
      action: `A${JSON.stringify(a.s.action)}`,
      resource: `R${JSON.stringify(a.s.resource)}${a.s.variables ? "v" : ""}`,
    };
    fixedParts.set(a.s, parts);
  }
  let id = `${parts.head}|${a.unknowns.length === 0 ? "" : a.unknowns.join(",")}|`;
  if (node.action === undefined) id += parts.action;
  if (node.resource === undefined) id += parts.resource;
  if (a.clauses.length === 0) return id;
  return `${id}|${clausesId(a.clauses)}`;
}

const clauseLists = new WeakMap<readonly Clause[], string>();

/** The identity of a list of clauses (the same list object is asked for many times). */
function clausesId(clauses: readonly Clause[]): string {
  let id = clauseLists.get(clauses);
  if (id === undefined) {
    const ids = clauses.map(clauseId);
    if (ids.length > 1) ids.sort();
    id = ids.join(";");
    clauseLists.set(clauses, id);
  }
  return id;
}

/** Whether both sides have the same statements left: then no request below tells them apart. */
function sameOnBothSides(node: Node): boolean {
  let before = 0;
  let after = 0;
  for (const a of node.active) {
    if (a.s.side === 0) before++;
    else after++;
  }
  if (before === 0 || after === 0) return before === after;
  const sides: [Set<string>, Set<string>] = [new Set(), new Set()];
  for (const a of node.active) sides[a.s.side].add(remainder(a, node));
  if (sides[0].size !== sides[1].size) return false;
  for (const id of sides[0]) if (!sides[1].has(id)) return false;
  return true;
}

const clauseIds = new WeakMap<Clause, string>();

function clauseId(clause: Clause): string {
  let id = clauseIds.get(clause);
  if (id === undefined) {
    id = `${clause.operatorText}\u0000${clause.key}\u0000${clause.variables ? "v" : ""}${JSON.stringify(clause.values)}`;
    clauseIds.set(clause, id);
  }
  return id;
}

function firstWildcard(text: string): number {
  const m = /[*?]|\$\{/.exec(text);
  return m === null ? text.length : m.index;
}

function describeUnknowns(ids: readonly string[]): string {
  for (const id of ids) {
    if (id.startsWith("clause:")) {
      const [operator = "", key = ""] = id.slice("clause:".length).split("\u0000");
      return `the condition ${operator} on ${key} cannot be evaluated exactly`;
    }
  }
  if (ids.some((id) => id.startsWith("effect:")))
    return "a statement's Effect is neither Allow nor Deny";
  return "a statement of a shape s3ap cannot read";
}
