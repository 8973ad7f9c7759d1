// What the S3 Control adapter reports while it works, so reports can show retries and slow-downs.
export type StoreEvent =
  | {
      type: "retry";
      operation: string;
      accessPoint: string;
      code: string;
      attempt: number;
      delayMs: number;
    }
  | {
      type: "rate-change";
      accountId: string;
      region: string;
      ratePerSecond: number;
      reason: string;
    }
  | {
      /** No credentials were configured; a loopback endpoint is signed for with placeholders. */
      type: "placeholder-credentials";
      endpointUrl: string;
    };
