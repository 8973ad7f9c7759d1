// The bar `s3ap validate` is measured against (bench/validate.mjs): a bare single-thread loop
// that reads every *.yaml / *.yml file under a folder and runs yaml.parseDocument + toJS on it,
// nothing else. Bundled like the CLI (same yaml code, same build patch).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";

let files = 0;
let errors = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.ya?ml$/.test(entry.name)) {
      const document = parseDocument(readFileSync(path, "utf8"));
      document.toJS();
      files++;
      errors += document.errors.length;
    }
  }
};
walk(process.argv[2] ?? "policies");
console.log(`parsed ${files} files, ${errors} errors`);
