// The scope half of a directory-bucket access point's verdict, and how it joins the policy's:
// only a certain narrowing is called one.
import { expect, test } from "vitest";
import { joinVerdicts, sameScope, scopeVerdict } from "../../src/policy/scope-access.js";

const scope = (prefixes: string[], permissions: string[] = []) => ({ prefixes, permissions });

test("adding a scope narrows; removing it widens; the same scope is the same", () => {
  expect(scopeVerdict(null, scope(["logs/*"])).access).toBe("narrows");
  expect(scopeVerdict(scope(["logs/*"]), null).access).toBe("widens");
  expect(scopeVerdict(scope(["a/*"], ["GetObject"]), scope(["a/*"], ["GetObject"])).access).toBe(
    "same",
  );
});

test("a prefix under a wildcard prefix narrows; a prefix without * covers only itself", () => {
  expect(scopeVerdict(scope(["logs/*"]), scope(["logs/2026/*"])).access).toBe("narrows");
  // Whether AWS reads "logs/" as a prefix or one key is not documented: never claim it narrows.
  expect(scopeVerdict(scope(["logs/"]), scope(["logs/2026/"])).access).toBe("mixed");
  expect(scopeVerdict(scope(["logs/*"]), scope(["logs/*", "tmp/*"])).reasons).toEqual([
    { direction: "widens", text: "scope adds prefix tmp/*" },
  ]);
});

test("permissions: none listed lets all eight through", () => {
  expect(scopeVerdict(scope([], ["GetObject"]), scope([], [])).reasons).toEqual([
    {
      direction: "widens",
      text: "scope lets through GetObjectAttributes, ListMultipartUploadParts, ListBucket, ListBucketMultipartUploads, PutObject, DeleteObject, AbortMultipartUpload",
    },
  ]);
  expect(sameScope(scope([], []), null)).toBe(true);
  expect(sameScope(scope(["a/*"]), null)).toBe(false);
});

test("policy ∩ scope: narrows only when neither widens; same only when both are", () => {
  const v = (access: "widens" | "narrows" | "mixed" | "same") => ({ access, reasons: [] });
  expect(joinVerdicts(v("same"), v("narrows")).access).toBe("narrows");
  expect(joinVerdicts(v("narrows"), v("narrows")).access).toBe("narrows");
  expect(joinVerdicts(v("widens"), v("narrows")).access).toBe("mixed");
  expect(joinVerdicts(v("same"), v("widens")).access).toBe("widens");
  expect(joinVerdicts(v("mixed"), v("same")).access).toBe("mixed");
  expect(joinVerdicts(v("same"), v("same")).access).toBe("same");
});
