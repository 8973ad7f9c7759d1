// An S3 Control error as the SDK raises it for an XML <Code> it does not model.
import { S3ControlServiceException } from "@aws-sdk/client-s3-control";

export function awsError(name: string, status: number, message = `${name} from AWS`) {
  return new S3ControlServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message,
  });
}
