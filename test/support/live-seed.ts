// Sets up and inspects live state on a real S3 Control endpoint (moto or the local endpoint)
// with a client of its own, independent of the code under test's store.
import {
  CreateAccessPointCommand,
  GetAccessPointPolicyCommand,
  PutAccessPointPolicyCommand,
  type S3ControlClient,
  type S3ControlClientConfig,
} from "@aws-sdk/client-s3-control";
import { createS3ControlClient } from "../../src/aws/client.js";

export const TEST_AWS_ENV = {
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};

export class LiveSeed {
  readonly client: S3ControlClient;

  /** `credentials`: whose they are (moto keeps one store per account of the signing key). */
  constructor(
    endpointUrl: string,
    region = "us-east-1",
    credentials?: S3ControlClientConfig["credentials"],
  ) {
    Object.assign(process.env, TEST_AWS_ENV);
    this.client = createS3ControlClient({
      region,
      endpointUrl,
      requestTimeoutMs: 10_000,
      ...(credentials !== undefined ? { credentials } : {}),
    });
  }

  async accessPoint(accountId: string, name: string, policy?: object): Promise<void> {
    await this.client.send(
      new CreateAccessPointCommand({ AccountId: accountId, Name: name, Bucket: `${name}-bucket` }),
    );
    if (policy !== undefined) {
      await this.client.send(
        new PutAccessPointPolicyCommand({
          AccountId: accountId,
          Name: name,
          Policy: JSON.stringify(policy),
        }),
      );
    }
  }

  /** The stored policy text, or null when the access point has none. */
  async policyText(accountId: string, name: string): Promise<string | null> {
    try {
      const out = await this.client.send(
        new GetAccessPointPolicyCommand({ AccountId: accountId, Name: name }),
      );
      return out.Policy ?? null;
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchAccessPointPolicy") return null;
      throw error;
    }
  }

  async snapshot(accountId: string, names: string[]): Promise<Record<string, string | null>> {
    const entries = await Promise.all(
      names.map(async (n) => [n, await this.policyText(accountId, n)] as const),
    );
    return Object.fromEntries(entries);
  }

  destroy(): void {
    this.client.destroy();
  }
}
