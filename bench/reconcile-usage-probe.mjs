// Preloaded into the measured s3ap process (node --import): on exit, writes its own CPU time,
// peak RSS and peak JS heap to $S3AP_BENCH_USAGE_FILE. process.resourceUsage() counts every
// thread of the process, so this works the same with or without /usr/bin/time.
import { writeFileSync } from "node:fs";

const file = process.env.S3AP_BENCH_USAGE_FILE;
if (file) {
  let maxHeapBytes = 0;
  const sample = () => {
    maxHeapBytes = Math.max(maxHeapBytes, process.memoryUsage().heapUsed);
  };
  // Sampled, so a short spike between samples can be missed; RSS below is the kernel's exact peak.
  setInterval(sample, 100).unref();
  process.on("exit", () => {
    sample();
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssMb: usage.maxRSS / 1024,
        maxHeapMb: maxHeapBytes / 1024 / 1024,
      }),
    );
  });
}
