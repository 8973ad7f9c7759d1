// Signers are built once per auth scheme and keep the keys they derived; what they sign is the
// SDK's SigV4, byte for byte.
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, SourceData } from "@smithy/types";
import { expect, test } from "vitest";
import { KeyCachingSignatureV4, reuseSigners } from "../../src/aws/signer-cache.js";

/** The hash the S3 Control client signs with (node:crypto's SHA-256 behind the SDK's Checksum). */
const Sha256 = new S3ControlClient({ region: "us-east-1" }).config.sha256;

/** Sha256 that counts how often it is built with a secret (an HMAC). */
function countingSha256() {
  const counter = { hmacs: 0 };
  class Counting {
    readonly #inner: InstanceType<typeof Sha256>;
    constructor(secret?: SourceData) {
      if (secret !== undefined) counter.hmacs++;
      this.#inner = new Sha256(secret);
    }
    update(data: Uint8Array) {
      this.#inner.update(data);
    }
    digest() {
      return this.#inner.digest();
    }
  }
  return { Counting, counter };
}

function request(path: string, body?: string) {
  return new HttpRequest({
    method: body === undefined ? "GET" : "PUT",
    protocol: "https:",
    hostname: "111122223333.s3-control.us-east-1.amazonaws.com",
    path,
    headers: {
      host: "111122223333.s3-control.us-east-1.amazonaws.com",
      "x-amz-account-id": "111122223333",
    },
    ...(body !== undefined ? { body } : {}),
  });
}

test("signs every request exactly as the SDK's SigV4 does, across days, regions, services and credentials", async () => {
  const first: AwsCredentialIdentity = { accessKeyId: "AKIDONE", secretAccessKey: "secret-one" };
  const second: AwsCredentialIdentity = {
    accessKeyId: "AKIDTWO",
    secretAccessKey: "secret-two",
    sessionToken: "token",
  };
  let current = first;
  const settings = {
    credentials: async () => current,
    region: "us-east-1",
    service: "s3",
    sha256: Sha256,
  };
  const sdk = new SignatureV4(settings);
  const ours = new KeyCachingSignatureV4(settings);
  const days = [new Date("2026-12-05T23:59:59Z"), new Date("2026-12-06T00:00:01Z")];
  const cases: Array<[string, string, string | undefined]> = [
    ["us-east-1", "s3", undefined],
    ["eu-west-1", "s3", '{"Version":"2012-10-17"}'],
    ["us-east-1", "s3-outposts", undefined],
    ["us-east-1", "s3express", undefined],
  ];
  const seen = new Set<string>();
  for (const credentials of [first, second, first]) {
    current = credentials;
    for (const signingDate of days) {
      for (const [signingRegion, signingService, body] of cases) {
        const path = `/v20180820/accesspoint/ap-${seen.size}/policy`;
        const options = { signingDate, signingRegion, signingService };
        const expected = await sdk.sign(request(path, body), options);
        const actual = await ours.sign(request(path, body), options);
        expect(actual.headers.authorization).toBe(expected.headers.authorization);
        seen.add(String(actual.headers.authorization));
      }
    }
  }
  expect(seen.size).toBe(3 * days.length * cases.length);
});

test("derives a key once per credentials, day, region and service; the SDK's HMAC of the secret is no longer paid per request", async () => {
  const { Counting, counter } = countingSha256();
  let credentials: AwsCredentialIdentity = { accessKeyId: "AKIDCOUNT", secretAccessKey: "count" };
  const signer = new KeyCachingSignatureV4({
    credentials: async () => credentials,
    region: "us-east-1",
    service: "s3",
    sha256: Counting,
  });
  const options = { signingDate: new Date("2026-12-05T12:00:00Z"), signingRegion: "us-east-1" };
  for (let i = 0; i < 10; i++)
    await signer.sign(request(`/v20180820/accesspoint/a${i}/policy`), options);
  // First: the SDK's lookup HMAC + 4 derivation HMACs + the signature; then one HMAC each.
  expect(counter.hmacs).toBe(6 + 9);
  // Refreshed credentials (a new object) derive a key of their own.
  credentials = { accessKeyId: "AKIDCOUNT", secretAccessKey: "count-2" };
  counter.hmacs = 0;
  await signer.sign(request("/v20180820/accesspoint/b/policy"), options);
  await signer.sign(request("/v20180820/accesspoint/c/policy"), options);
  expect(counter.hmacs).toBe(6 + 1);
});

test("the client's signer is built once per auth scheme, and asked again after a failure", async () => {
  const client = new S3ControlClient({ region: "us-east-1" });
  let builds = 0;
  let fail = true;
  const build = client.config.signer;
  client.config.signer = (scheme) => {
    builds++;
    if (scheme?.signingName === "broken" && fail) return Promise.reject(new Error("no region"));
    return build(scheme);
  };
  reuseSigners(client);
  const s3 = { name: "sigv4", signingName: "s3", signingRegion: "us-east-1", properties: {} };
  const express = { ...s3, signingName: "s3express" };
  const one = await client.config.signer(s3);
  expect(await client.config.signer(s3)).toBe(one);
  expect(await client.config.signer({ ...s3 })).toBe(one);
  expect(await client.config.signer(express)).not.toBe(one);
  expect(builds).toBe(2);
  const broken = { ...s3, signingName: "broken" };
  await expect(client.config.signer(broken)).rejects.toThrow("no region");
  fail = false;
  await client.config.signer(broken);
  expect(builds).toBe(4);
  client.destroy();
});
