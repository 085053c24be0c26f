// bench:hostile's uploading client, in a process of its own: sends one file to POST /api/verify
// `count` times at once and prints the answers as one JSON line. Kept apart from the process that
// times the health requests, so that its own sending of the uploads never delays those timings.
// Run: ts-node --transpile-only scripts/hostile-uploads.ts <base URL> <file> <count>
import { readFileSync } from "node:fs";

async function main(): Promise<void> {
  const [baseUrl, file, countText] = process.argv.slice(2);
  const bytes = readFileSync(file);
  const answers = await Promise.all(
    Array.from({ length: Number(countText) }, async () => {
      const res = await fetch(`${baseUrl}/api/verify`, { method: "POST", headers: { "content-type": "application/pdf" }, body: bytes });
      const body = (await res.json()) as { code?: string; verdict?: string };
      return `${res.status} ${body.code ?? body.verdict ?? ""}`.trim();
    }),
  );
  process.stdout.write(`${JSON.stringify(answers)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`hostile-uploads failed: ${String(err)}\n`);
  process.exit(1);
});
