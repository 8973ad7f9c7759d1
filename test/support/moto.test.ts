import { afterAll, beforeAll, expect, test } from "vitest";
import { type MotoServer, startMoto } from "./moto.js";

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

test("moto server answers on loopback and resets", async () => {
  expect(moto.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(moto.reset()).resolves.toBeUndefined();
});
