// Preloaded into the measured s3ap process (node --import): on exit, writes its own CPU time
// and peak RSS to $S3AP_BENCH_USAGE_FILE. process.resourceUsage() counts every thread of the
// process, so this works the same with or without /usr/bin/time.
import { writeFileSync } from "node:fs";

const file = process.env.S3AP_BENCH_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssMb: usage.maxRSS / 1024,
      }),
    );
  });
}
