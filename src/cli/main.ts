#!/usr/bin/env node
// The `switchyard` executable.
import { handleServeSignals } from "./handle-serve-signals.js";
import { runCli } from "./run-cli.js";
import { tuneHeap } from "./tune-heap.js";

tuneHeap();
const outcome = await runCli(process.argv.slice(2));
if ("server" in outcome) handleServeSignals(outcome.server);
else process.exitCode = outcome.exitCode;
