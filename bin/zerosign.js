#!/usr/bin/env node
// Entry point of `npx zerosign`: runs the compiled CLI (dist/, built by `npm install`'s prepare
// step and by `npm start`). In a checkout whose build is missing it falls back to compiling the
// TypeScript sources on the fly with ts-node (a dev dependency), which starts far slower.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "server", "cli", "main.js");
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  cli = require("../server/cli/main.ts");
}

// The environment is handed over here; inside server/ only config.ts reads it.
cli.runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`INTERNAL: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = cli.EXIT.internal;
  },
);
