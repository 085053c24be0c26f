// A service node for bench:hostile's health row, in a process of its own so that the bench's
// uploads and health requests do not share its event loop: the real HTTP app over the real worker
// pool (as many workers as the service's default), on port 0. Prints "READY <base URL>", then
// serves until its standard input closes.
import { defaultWorkerCount } from "../server/config";
import { startHttpFixture } from "../test/server/http/http-fixture";

async function main(): Promise<void> {
  const workers = defaultWorkerCount();
  const node = await startHttpFixture({ publicRequestsPerWindow: Number.MAX_SAFE_INTEGER }, { pool: { size: workers } });
  process.stdout.write(`READY ${node.baseUrl} ${workers}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void node.close().then(() => process.exit(0));
  });
}

void main();
