// A stand-in for IAM Access Analyzer's REST API on loopback (point AWS_ENDPOINT_URL_ACCESSANALYZER
// at it), answering with the API reference's documented response shapes, and recording each
// request: its path, its JSON body and the access key that signed it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface AnalyzerRequest {
  path: string;
  body: Record<string, unknown>;
  /** The access key id of the request's SigV4 Authorization header ("" if unsigned). */
  accessKeyId: string;
}

export interface FakeAccessAnalyzer {
  url: string;
  seen: AnalyzerRequest[];
  stop(): Promise<void>;
}

function answer(path: string, body: Record<string, unknown>): unknown {
  switch (path) {
    case "/policy/validation":
      return {
        findings: [
          {
            findingDetails: "Add a value to the empty string in the Sid element.",
            findingType: "SUGGESTION",
            issueCode: "EMPTY_SID_VALUE",
            learnMoreLink:
              "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
            locations: [
              {
                path: [{ value: "Statement" }, { index: 0 }, { value: "Sid" }],
                span: {
                  start: { line: 1, column: 40, offset: 40 },
                  end: { line: 1, column: 42, offset: 42 },
                },
              },
            ],
          },
        ],
      };
    case "/policy/check-no-public-access":
      return {
        result: "PASS",
        message: "The resource policy does not grant public access.",
        reasons: [],
      };
    case "/policy/check-no-new-access":
      return {
        result: body.existingPolicyDocument === body.newPolicyDocument ? "PASS" : "FAIL",
        message: "The modified permissions grant new access compared to your reference policy.",
        reasons: [{ description: "New access in the statement with index: 0.", statementIndex: 0 }],
      };
    default:
      return undefined;
  }
}

export async function startFakeAccessAnalyzer(): Promise<FakeAccessAnalyzer> {
  const seen: AnalyzerRequest[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", () => {
      const body = JSON.parse(text || "{}") as Record<string, unknown>;
      const path = (request.url ?? "").split("?")[0] ?? "";
      const credential = /Credential=([^/]+)\//.exec(request.headers.authorization ?? "");
      seen.push({ path, body, accessKeyId: credential?.[1] ?? "" });
      const reply = answer(path, body);
      response.writeHead(reply === undefined ? 404 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify(reply ?? { message: "no such route" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
