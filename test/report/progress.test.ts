import { expect, test } from "vitest";
import { createProgress } from "../../src/report/progress.js";

test("on a terminal: a bar redrawn in place, and the line cleared when done", () => {
  const out: string[] = [];
  const progress = createProgress({ write: (t) => out.push(t), isTTY: true, now: () => 0 });
  progress.update("read", 1, 4);
  progress.update("read", 4, 4);
  expect(out[0]).toMatch(/^\rreading live policies \[#{8}-{22}\] 1\/4$/);
  expect(out.join("").endsWith("4/4\r\u001b[2K")).toBe(true);
  expect(out.join("")).not.toContain("\n");
  progress.finish();
  expect(out.join("").endsWith("4/4\r\u001b[2K")).toBe(true);
});

test("on a terminal: a run that ends before the bar is full clears it too", () => {
  const out: string[] = [];
  const progress = createProgress({ write: (t) => out.push(t), isTTY: true, now: () => 0 });
  progress.update("apply", 2, 5);
  progress.finish();
  expect(out).toEqual(["\rapplying [############------------------] 2/5", "\r\u001b[2K"]);
});

test("in CI logs: at most one plain line per interval, no carriage returns", () => {
  let time = 0;
  const out: string[] = [];
  const progress = createProgress({
    write: (t) => out.push(t),
    isTTY: false,
    now: () => time,
    intervalMs: 5000,
  });
  for (let done = 1; done <= 100; done++) {
    time += 200; // 20 s in all
    progress.update("apply", done, 100);
  }
  expect(out.length).toBe(3);
  expect(out[0]).toBe("applying: 25/100 (25%)\n");
  expect(out.join("")).not.toContain("\r");
});
