// Entry point of dist/local-endpoint.js: prints one parsable line, exits cleanly on a signal.
import { parseEndpointArgs, USAGE } from "./cli-args.js";
import { startLocalEndpoint } from "./server.js";

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseEndpointArgs>;
  try {
    parsed = parseEndpointArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`s3ap local endpoint: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const endpoint = await startLocalEndpoint(parsed.options);
  process.stdout.write(`s3ap local endpoint listening on ${endpoint.url}\n`);
  const stop = () => {
    endpoint.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`s3ap local endpoint: ${(error as Error).message}\n`);
  process.exit(1);
});
