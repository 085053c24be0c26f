// The production worker entry: the pool starts this file in each worker thread (through ts-node
// when it is .ts). It serves the verify and sign jobs of worker-jobs.ts and nothing else.
import { createWorkerJobs } from "./worker-jobs";
import { runWorker } from "./worker-runtime";

runWorker(createWorkerJobs());
