// Unit tests of the endpoint's pure pieces: XML, routing, policy rules, token bucket, planner.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseEndpointArgs } from "../../src/local-endpoint/cli-args.js";
import { FaultPlanner } from "../../src/local-endpoint/faults.js";
import { isPublicPolicy, malformedPolicyReason } from "../../src/local-endpoint/policy-rules.js";
import { routeOf } from "../../src/local-endpoint/routes.js";
import { TokenBucket } from "../../src/local-endpoint/token-bucket.js";
import {
  elementText,
  errorDocument,
  escapeXml,
  unescapeXml,
} from "../../src/local-endpoint/xml.js";

describe("xml", () => {
  test("escape then unescape is the identity for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => unescapeXml(escapeXml(text)) === text),
    );
  });

  test("elementText reads escaped text, CDATA, empty and missing elements", () => {
    const body =
      '<?xml version="1.0"?><R xmlns="x"><Bucket>b&amp;1</Bucket><Policy>{&quot;a&quot;:&#60;}</Policy><Empty/></R>';
    expect(elementText(body, "Bucket")).toBe("b&1");
    expect(elementText(body, "Policy")).toBe('{"a":<}');
    expect(elementText(body, "Empty")).toBe("");
    expect(elementText(body, "Missing")).toBeUndefined();
    expect(elementText('<Policy><![CDATA[{"x":"<&>"}]]></Policy>', "Policy")).toBe('{"x":"<&>"}');
  });

  test("errorDocument is AWS's ErrorResponse envelope", () => {
    expect(errorDocument("NoSuchAccessPoint", "gone <x>", "REQ1", { AccessPointName: "a" })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><Error><Type>Sender</Type><Code>NoSuchAccessPoint</Code><Message>gone &lt;x&gt;</Message><AccessPointName>a</AccessPointName></Error><RequestId>REQ1</RequestId><HostId>REQ1</HostId></ErrorResponse>',
    );
  });
});

describe("routes", () => {
  test.each([
    ["GET", "/v20180820/accesspoint", "ListAccessPoints", undefined],
    ["PUT", "/v20180820/accesspoint/my-ap", "CreateAccessPoint", "my-ap"],
    ["GET", "/v20180820/accesspoint/my-ap", "GetAccessPoint", "my-ap"],
    ["DELETE", "/v20180820/accesspoint/my-ap", "DeleteAccessPoint", "my-ap"],
    ["PUT", "/v20180820/accesspoint/my-ap/policy", "PutAccessPointPolicy", "my-ap"],
    ["GET", "/v20180820/accesspoint/my-ap/policy", "GetAccessPointPolicy", "my-ap"],
    ["DELETE", "/v20180820/accesspoint/my-ap/policy", "DeleteAccessPointPolicy", "my-ap"],
    ["GET", "/v20180820/accesspoint/my-ap/policyStatus", "GetAccessPointPolicyStatus", "my-ap"],
    ["GET", "/v20180820/accesspoint/a%2Db/policy", "GetAccessPointPolicy", "a-b"],
  ])("%s %s is %s", (method, path, operation, name) => {
    expect(routeOf(method, path)).toEqual({
      kind: "operation",
      operation,
      ...(name ? { name } : {}),
    });
  });

  test("other methods and paths are unsupported or not S3 Control", () => {
    expect(routeOf("POST", "/v20180820/accesspoint/my-ap/policy").kind).toBe("unsupported");
    expect(routeOf("DELETE", "/v20180820/accesspoint").kind).toBe("unsupported");
    expect(routeOf("GET", "/v20180820/accesspoint/my-ap/policyStatus/extra").kind).toBe(
      "unsupported",
    );
    expect(routeOf("GET", "/v20180820/accesspoint/%E0%A4%A/policy").kind).toBe("unsupported");
    expect(routeOf("GET", "/bucket/key").kind).toBe("not-s3-control");
  });
});

describe("policy rules", () => {
  const statement = {
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::111122223333:root" },
    Action: "s3:GetObject",
    Resource: "*",
  };
  test("malformed: not JSON, not an object, no Statement, over 20 KB compact", () => {
    expect(malformedPolicyReason("{")).toMatch(/valid JSON/);
    expect(malformedPolicyReason('"text"')).toMatch(/valid JSON/);
    expect(malformedPolicyReason("{}")).toMatch(/Statement/);
    const big = {
      Statement: Array.from({ length: 200 }, (_, i) => ({ ...statement, Sid: `S${i}` })),
    };
    expect(malformedPolicyReason(JSON.stringify(big))).toMatch(/maximum of 20480 bytes/);
    // Whitespace does not count: the same small document pretty-printed far past 20 KB is fine.
    const padded = `{"Statement":${" ".repeat(25000)}${JSON.stringify([statement])}}`;
    expect(padded.length).toBeGreaterThan(20480);
    expect(malformedPolicyReason(padded)).toBeUndefined();
  });

  test("public: Allow to * (either spelling) without Condition", () => {
    const doc = (s: object) => JSON.stringify({ Statement: [s] });
    expect(isPublicPolicy(doc({ ...statement, Principal: "*" }))).toBe(true);
    expect(isPublicPolicy(doc({ ...statement, Principal: { AWS: ["arn:x", "*"] } }))).toBe(true);
    expect(
      isPublicPolicy(
        doc({
          ...statement,
          Principal: "*",
          Condition: { Bool: { "aws:SecureTransport": "true" } },
        }),
      ),
    ).toBe(false);
    expect(isPublicPolicy(doc({ ...statement, Principal: "*", Effect: "Deny" }))).toBe(false);
    expect(isPublicPolicy(doc(statement))).toBe(false);
  });
});

describe("token bucket", () => {
  test("admits the burst, then `rate` per second", () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    const admitted = (n: number) =>
      Array.from({ length: n }, () => bucket.tryTake()).filter(Boolean).length;
    expect(admitted(5)).toBe(2);
    now += 1000;
    expect(admitted(50)).toBe(2); // refills up to the burst size only
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      now += 10;
      total += admitted(5);
    }
    expect(total).toBe(100); // 10 s at 10/s
  });
});

describe("fault planner", () => {
  const settings = {
    seed: 9,
    latencyMs: 20,
    jitterMs: 10,
    errorRate: 0.1,
    dropRate: 0.1,
    slowRate: 0.1,
  };
  test("decisions depend on seed, identity and repetition only", () => {
    const a = new FaultPlanner(settings);
    const b = new FaultPlanner(settings);
    const ids = Array.from({ length: 200 }, (_, i) => `id-${i % 50}`);
    const fromA = ids.map((id) => a.decide(id));
    b.decide("something-else");
    expect(ids.map((id) => b.decide(id))).toEqual(fromA);
    for (const d of fromA) {
      expect(d.delayMs).toBeGreaterThanOrEqual(20);
      expect(d.delayMs).toBeLessThan(30);
    }
    const counts = { none: 0, drop: 0, slow: 0, error: 0 };
    const many = new FaultPlanner(settings);
    for (let i = 0; i < 10000; i++) counts[many.decide(`k${i}`).fault]++;
    for (const fault of ["drop", "slow", "error"] as const) {
      expect(counts[fault]).toBeGreaterThan(850);
      expect(counts[fault]).toBeLessThan(1150);
    }
  });
});

describe("command-line flags", () => {
  test("map onto options", () => {
    const parsed = parseEndpointArgs([
      "--port",
      "0",
      "--latency-ms",
      "20",
      "--jitter-ms",
      "5",
      "--rate",
      "500",
      "--error-rate",
      "0.05",
      "--drop-rate",
      "0.05",
      "--slow-rate",
      "0.01",
      "--slow-ms",
      "hang",
      "--seed",
      "42",
      "--seed-access-points",
      "1000",
      "--seed-policy-fraction",
      "0.5",
      "--deny",
      "a-ap,b-ap",
      "--deny",
      "c-ap",
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        port: 0,
        latencyMs: 20,
        jitterMs: 5,
        rate: 500,
        errorRate: 0.05,
        dropRate: 0.05,
        slowRate: 0.01,
        slowMs: Number.POSITIVE_INFINITY,
        seed: 42,
        seedAccessPoints: { count: 1000, policyFraction: 0.5 },
        denyAccessPoints: ["a-ap", "b-ap", "c-ap"],
      },
    });
  });

  test("reject unknown flags and non-numbers", () => {
    expect(() => parseEndpointArgs(["--nope"])).toThrow(/nope/);
    expect(() => parseEndpointArgs(["--rate", "fast"])).toThrow(/--rate expects a number/);
    expect(() => parseEndpointArgs(["--seed-file", "/nonexistent/seed.json"])).toThrow(
      /--seed-file/,
    );
  });
});
