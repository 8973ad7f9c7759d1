// Preloaded into a measured process (node --import): on exit, writes its own CPU time, peak RSS,
// peak JS heap and where its time went before its first request to $S3AP_BENCH_USAGE_FILE.
// process.resourceUsage() counts every thread of the process, so this works the same with or
// without /usr/bin/time.
//
// Timing: `timeOrigin` (epoch ms, when the process started), Node's own start-up milestones,
// the `s3ap:*` performance marks s3ap sets at its phase boundaries, and when the first HTTP
// request was created (the `http.client.request.start` diagnostics channel). All times but
// timeOrigin are ms since the process started.
import { subscribe } from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";

const file = process.env.S3AP_BENCH_USAGE_FILE;
if (file) {
  let maxHeapBytes = 0;
  let firstRequestMs;
  let requests = 0;
  const onRequest = () => {
    requests++;
    firstRequestMs ??= performance.now();
  };
  subscribe("http.client.request.start", onRequest);
  const sample = () => {
    maxHeapBytes = Math.max(maxHeapBytes, process.memoryUsage().heapUsed);
  };
  // Sampled, so a short spike between samples can be missed; RSS below is the kernel's exact peak.
  setInterval(sample, 100).unref();
  const probeLoadedMs = performance.now();
  process.on("exit", () => {
    sample();
    const usage = process.resourceUsage();
    const timing = performance.nodeTiming;
    writeFileSync(
      file,
      JSON.stringify({
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssMb: usage.maxRSS / 1024,
        maxHeapMb: maxHeapBytes / 1024 / 1024,
        timeOrigin: performance.timeOrigin,
        v8StartMs: timing.v8Start,
        bootstrapMs: timing.bootstrapComplete,
        probeLoadedMs,
        marks: Object.fromEntries(
          performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]),
        ),
        firstRequestMs,
        requests,
        exitMs: performance.now(),
      }),
    );
  });
}
