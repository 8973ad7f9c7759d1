/** An S3 Control error answer: the XML `<Code>`, its HTTP status and message. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const noSuchAccessPoint = (name: string) =>
  new ServiceError("NoSuchAccessPoint", 404, "The specified accesspoint does not exist", {
    AccessPointName: name,
  });

export const noSuchAccessPointPolicy = (name: string) =>
  new ServiceError(
    "NoSuchAccessPointPolicy",
    404,
    "The specified accesspoint policy does not exist",
    { AccessPointName: name },
  );
