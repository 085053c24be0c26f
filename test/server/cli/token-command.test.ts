// `zerosign token create|list|revoke` on a real data folder (SQLite in a temp dir): the secret is
// printed once and works, list shows state without secrets, revoke takes effect for the store the
// service has open, and each refusal has its exit code and reason code.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { runCli } from "../../../server/cli/main";
import { createSystemClock } from "../../../server/clock";
import { createStore, type Store } from "../../../server/store/create-store";

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe("zerosign token", function () {
  let dataDir: string;
  let service: Store;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-token-"));
    // The service's own store, open while the CLI works on the same database.
    service = await createStore({ dataDir, log: pino({ level: "silent" }), clock: createSystemClock() });
  });
  afterEach(async () => {
    service.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates a token whose secret, printed once, the service resolves; list shows it without the secret", async () => {
    const before = Date.now();
    const created = await cli("token", "create", "--dept", "MCA", "--days", "7", "--label", "front desk", "--data", dataDir);
    expect(created.code, created.stderr).to.equal(0);
    const [head, secret] = created.stdout.split("\n");
    expect(secret).to.match(/^zs_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const tokenId = secret.slice(3, 19);
    expect(head).to.match(new RegExp(`^Token ${tokenId} for MCA \\(民政局\\), expires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`));
    expect(service.tokens.resolveToken(secret)).to.deep.equal({ status: "valid", operator: { tokenId, departmentCode: "MCA", label: "front desk" } });
    const [info] = service.tokens.listTokens();
    expect(info.expiresAtMs - info.createdAtMs).to.equal(7 * 86_400_000);
    expect(info.createdAtMs).to.be.at.least(before);

    const listed = await cli("token", "list", "--data", dataDir);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout.split("\n")[0]).to.match(/^ID\s+DEPT\s+STATUS\s+CREATED\s+EXPIRES\s+LABEL$/);
    expect(listed.stdout).to.match(new RegExp(`^${tokenId}\\s+MCA\\s+active\\s+.*front desk$`, "m"));
    expect(listed.stdout).not.to.contain(secret.slice(20));
  });

  it("revokes a token for the running service at once, and refuses to revoke it twice", async () => {
    const { tokenId, secret } = service.tokens.createToken("SAMR", "demo operator");
    const revoked = await cli("token", "revoke", tokenId, "--data", dataDir);
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect(revoked.stdout).to.contain(`Revoked token ${tokenId} of SAMR`);
    expect(service.tokens.resolveToken(secret)).to.deep.equal({ status: "revoked", tokenId });
    expect((await cli("token", "list", "--data", dataDir)).stdout).to.match(new RegExp(`^${tokenId}\\s+SAMR\\s+revoked\\s`, "m"));

    const again = await cli("token", "revoke", tokenId, "--data", dataDir);
    expect([again.code, again.stderr]).to.deep.equal([1, `TOKEN_ALREADY_REVOKED: Token ${tokenId} is already revoked\n`]);
    const unknown = await cli("token", "revoke", "0123456789abcdef", "--data", dataDir);
    expect([unknown.code, unknown.stderr]).to.deep.equal([1, "TOKEN_NOT_FOUND: No token 0123456789abcdef\n"]);
  });

  it("refuses an unknown department, a bad validity, a malformed id and a folder without a database", async () => {
    const dept = await cli("token", "create", "--dept", "SMAR", "--data", dataDir);
    expect(dept.code).to.equal(1);
    expect(dept.stderr).to.match(/^UNKNOWN_DEPARTMENT: /);
    for (const days of ["0", "3651", "1.5"]) {
      const bad = await cli("token", "create", "--dept", "SAMR", "--days", days, "--data", dataDir);
      expect(bad.code, days).to.equal(1);
      expect(bad.stderr, days).to.match(/^TOKEN_DAYS_INVALID: /);
    }
    const nan = await cli("token", "create", "--dept", "SAMR", "--days", "soon", "--data", dataDir);
    expect(nan.code).to.equal(64);
    expect(nan.stderr).to.match(/^USAGE: --days must be a number/);
    expect((await cli("token", "create", "--data", dataDir)).stderr).to.match(/^USAGE: --dept is required/);
    expect((await cli("token", "revoke", "zs_0123", "--data", dataDir)).code).to.equal(64);
    expect((await cli("token", "drop", "--data", dataDir)).stderr).to.match(/^USAGE: unknown action "drop"/);
    expect(service.tokens.listTokens()).to.deep.equal([]);

    const nowhere = path.join(dataDir, "typo");
    const missing = await cli("token", "list", "--data", nowhere);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/^STORE_NOT_FOUND: /);
  });

  it("prints its help", async () => {
    const help = await cli("token", "--help");
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: zerosign token create --dept CODE/);
  });
});
