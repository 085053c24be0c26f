#!/usr/bin/env node
// Entry point of `npx zerosign`: compiles the TypeScript sources on the fly (ts-node, transpile
// only: type checking is `npm run typecheck`'s job) and runs server/cli/main.ts.
"use strict";
const path = require("path");

require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
});
const { runCli } = require("../server/cli/main.ts");

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`INTERNAL: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
