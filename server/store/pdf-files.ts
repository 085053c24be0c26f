// PDF bytes on disk, content-addressed by SHA-256: <root>/ab/cdef….pdf. A file is written to a
// temporary name, fsynced, renamed into place and its directory fsynced, so after a crash a PDF
// is either complete under its name or absent; never half there. Folders are 0700 and files 0600:
// issued documents carry holders' personal data. Knows nothing of SQL.
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

export interface PdfFiles {
  /** Writes `pdfBytes` under its hash (a no-op if that file exists); returns the 0x-hex hash. */
  write(pdfBytes: Uint8Array): Promise<string>;
  /** The bytes stored under `docHashHex`, or undefined. */
  read(docHashHex: string): Promise<Uint8Array | undefined>;
}

const HASH_HEX = /^0x[0-9a-f]{64}$/;

/** SHA-256 of `bytes` as lowercase 0x-hex: a document's anchored hash and storage key. */
export function sha256Hex(bytes: Uint8Array): string {
  return "0x" + createHash("sha256").update(bytes).digest("hex");
}

/** Content-addressed PDF files under `root` (created if missing). */
export async function createPdfFiles(root: string): Promise<PdfFiles> {
  await fs.mkdir(root, { recursive: true, mode: 0o700 });
  await fs.chmod(root, 0o700);
  const fileFor = (docHashHex: string) => {
    if (!HASH_HEX.test(docHashHex)) throw new RangeError(`not a lowercase 0x-hex SHA-256: ${docHashHex}`);
    const hex = docHashHex.slice(2);
    return { dir: path.join(root, hex.slice(0, 2)), file: path.join(root, hex.slice(0, 2), `${hex.slice(2)}.pdf`) };
  };

  return {
    async write(pdfBytes) {
      const docHashHex = sha256Hex(pdfBytes);
      const { dir, file } = fileFor(docHashHex);
      if (await exists(file)) return docHashHex;
      const created = await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      // A new shard directory must itself be durable in its parent before its files count.
      if (created !== undefined) await fsyncDir(root);
      const tmp = path.join(dir, `.${randomBytes(8).toString("hex")}.tmp`);
      const handle = await fs.open(tmp, "wx", 0o600);
      try {
        await handle.writeFile(pdfBytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, file);
      await fsyncDir(dir);
      return docHashHex;
    },
    async read(docHashHex) {
      try {
        return new Uint8Array(await fs.readFile(fileFor(docHashHex).file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

/** fsync a directory so a rename or a new entry in it survives a power loss. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
