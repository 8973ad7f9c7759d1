// Preloaded into a CLI or Action subprocess (NODE_OPTIONS=--import=<this file>) to inject the
// clock: with S3AP_TEST_CLOCK set to an ISO time, Date starts at that time and runs on from it.
const fixed = Date.parse(process.env.S3AP_TEST_CLOCK ?? "");
if (!Number.isNaN(fixed)) {
  const RealDate = Date;
  const offset = fixed - RealDate.now();
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  };
}
