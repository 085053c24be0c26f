// `zerosign token create|list|revoke`: operator API tokens in a node's data folder, run beside the
// service or with it stopped (SQLite serialises the writes; a revocation counts on the next request).
// A secret is printed once, by `create`; the store keeps only its hash.
import { existsSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { createSystemClock, type Clock } from "../../clock";
import { loadCliConfig } from "../../config";
import { DEMO_DEPARTMENTS } from "../../demo/departments";
import { NotFoundError } from "../../errors";
import { createStore, type Store } from "../../store/create-store";
import { DEFAULT_TOKEN_VALID_DAYS, MAX_TOKEN_VALID_DAYS } from "../../store/token-store";
import type { TokenInfo } from "../../store/types";
import { parseCommandLine } from "../args";
import { DATA_HELP, EXIT, numberOption, UsageError, type CliEnv, type CliIo } from "../io";

const USAGE = `Usage: zerosign token create --dept CODE [--days N] [--label TEXT] [--data DIR]
       zerosign token list [--data DIR]
       zerosign token revoke ID [--data DIR]

Operator API tokens of the service whose data folder is DIR. "create" prints the new token's
secret once (only its hash is kept); "revoke" stops a token at once (its requests get 401
TOKEN_REVOKED); a token past its expiry gets 401 TOKEN_EXPIRED.

  --dept CODE    the department the token acts for (${DEMO_DEPARTMENTS.map((d) => d.code).join(", ")})
  --days N       days the token is valid, 1 to ${MAX_TOKEN_VALID_DAYS} (default ${DEFAULT_TOKEN_VALID_DAYS})
  --label TEXT   who or what holds it, shown by "list" (default "operator")
${DATA_HELP}
  -h, --help     show this help
`;

const TOKEN_ID = /^[0-9a-f]{16}$/;
const LABEL = /^[^\p{Cc}\p{Cf}]{1,100}$/u;

/** Runs `token`; returns the exit code. */
export async function tokenCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, {
    usage: USAGE,
    options: {
      dept: { type: "string" },
      days: { type: "string" },
      label: { type: "string", default: "operator" },
      data: { type: "string" },
    },
    positionals: { count: "any", what: "an action and its arguments" },
  });
  if (!parsed) return EXIT.ok;
  const { positionals } = parsed;
  const values = { ...parsed.values, data: parsed.values.data ?? loadCliConfig(env).dataDir };
  const [action, ...rest] = positionals;
  const clock = createSystemClock();
  const expectArgs = (count: number, what: string) => {
    if (rest.length !== count) throw new UsageError(`token ${action} takes ${what}`);
  };
  switch (action) {
    case "create": {
      expectArgs(0, "no argument besides its options");
      if (values.dept === undefined) throw new UsageError("--dept is required");
      const department = DEMO_DEPARTMENTS.find((d) => d.code === values.dept);
      if (!department) {
        throw new NotFoundError("UNKNOWN_DEPARTMENT", `No department ${values.dept}; known: ${DEMO_DEPARTMENTS.map((d) => d.code).join(", ")}`);
      }
      if (!LABEL.test(values.label)) throw new UsageError("--label must be one line of at most 100 characters");
      const validDays = numberOption("days", values.days);
      return withStore(values.data, clock, (store) => {
        const created = store.tokens.createToken(department.code, values.label, { validDays });
        io.stdout.write(
          `Token ${created.tokenId} for ${department.code} (${department.nameZh}), expires ${timeOf(created.expiresAtMs)}\n` +
            `${created.secret}\n` +
            "Shown once: only its hash is kept. Send it as  Authorization: Bearer <token>\n",
        );
      });
    }
    case "list":
      expectArgs(0, "no argument");
      return withStore(values.data, clock, (store) => {
        const tokens = store.tokens.listTokens();
        if (tokens.length === 0) {
          io.stdout.write("No tokens.\n");
          return;
        }
        const rows = tokens.map((t) => [t.tokenId, t.departmentCode, statusOf(t, clock.now()), timeOf(t.createdAtMs), timeOf(t.expiresAtMs), t.label]);
        io.stdout.write(table([["ID", "DEPT", "STATUS", "CREATED", "EXPIRES", "LABEL"], ...rows]));
      });
    case "revoke": {
      expectArgs(1, "one token ID (see zerosign token list)");
      const tokenId = rest[0];
      if (!TOKEN_ID.test(tokenId)) throw new UsageError(`${tokenId} is not a token ID (16 hex digits, see zerosign token list)`);
      return withStore(values.data, clock, (store) => {
        const revoked = store.tokens.revokeToken(tokenId);
        io.stdout.write(`Revoked token ${revoked.tokenId} of ${revoked.departmentCode} (${revoked.label}); its requests now get 401 TOKEN_REVOKED\n`);
      });
    }
    case undefined:
      throw new UsageError("name an action: create, list or revoke");
    default:
      throw new UsageError(`unknown action "${action}": create, list or revoke`);
  }
}

/** Opens the store of an existing data folder (a typo must not create a new, unused database). */
async function withStore(dataDir: string, clock: Clock, run: (store: Store) => void): Promise<number> {
  if (!existsSync(path.join(dataDir, "zerosign.sqlite"))) {
    throw new NotFoundError("STORE_NOT_FOUND", `No ZeroSign database in ${dataDir}: start the service once with ZEROSIGN_DATA=${dataDir}`);
  }
  const store = await createStore({ dataDir, log: pino({ level: "silent" }), clock });
  try {
    run(store);
  } finally {
    store.close();
  }
  return EXIT.ok;
}

function statusOf(token: TokenInfo, nowMs: number): string {
  if (token.revokedAtMs !== undefined) return "revoked";
  return nowMs >= token.expiresAtMs ? "expired" : "active";
}

/** UTC, to the minute: enough to tell tokens apart and to see when one lapses. */
function timeOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n") + "\n";
}
