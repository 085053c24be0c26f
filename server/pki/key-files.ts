// File access for the dev key store: directories 0700, files 0600, written atomically (temporary
// file + rename) so a crash or a concurrent start never leaves half a key behind.
import { promises as fs } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/** Creates `dir` (and parents) if missing and makes sure the leaf directory is mode 0700. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
}

/** Writes `text` to `file` with mode 0600, replacing any previous content atomically. */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  await fs.writeFile(tmp, text, { mode: 0o600, flag: "wx" });
  await fs.rename(tmp, file);
}

/** Reads a UTF-8 file, or returns undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
