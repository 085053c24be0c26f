// Property test of the whole verifier: take a sealed, registered and anchored certificate, change
// bytes anywhere inside its signed ranges, and verify with every check against the chain. The
// verdict must never be valid, and verifyPdf must never throw. A fixed seed keeps the run
// repeatable; change FUZZ_SEED locally to explore further.
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { verifyPdf } from "../../../server/verify/verifier";
import type { Report } from "../../../server/verify/types";
import { SAMR } from "../../contracts/fixtures";
import { anchorPdf, chainFixture, makeSignedPdfs, registerKey } from "./checks/chain-scenario";

const FUZZ_RUNS = 3_000;
const FUZZ_SEED = 20_251_123;

/** One change: `bytes` written over the file at `at`, an offset inside the signed ranges. */
interface Mutation {
  at: number;
  bytes: number[];
}

describe("verifier fuzz", function () {
  it(`never returns valid for a certificate changed inside its signed ranges, and never throws (${FUZZ_RUNS} runs, seed ${FUZZ_SEED})`, async function () {
    const pdfs = await makeSignedPdfs();
    const f = await loadFixture(chainFixture);
    const window = { fromSec: f.t0, untilSec: f.t0 + 1_000_000 };
    await registerKey(f.registry, f.samrOperator, pdfs.pki, { departmentCode: "SAMR", role: "seal" }, SAMR, window);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const original = pdfs.sealed;

    // The property is only meaningful if the untouched file is valid with every check.
    const baseline = await verifyPdf(original, { chain: f.reader });
    expect(baseline.verdict, JSON.stringify(baseline.checks)).to.equal("valid");

    const signed = signedRanges(original);
    const signedLength = signed.reduce((n, [, len]) => n + len, 0);
    const mutation: fc.Arbitrary<Mutation> = fc
      .record({
        position: fc.integer({ min: 0, max: signedLength - 1 }),
        bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
      })
      .map(({ position, bytes }) => ({ at: offsetOf(signed, position), bytes }));

    const verdicts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutation, async ({ at, bytes }) => {
        const changed = Uint8Array.from(original);
        bytes.forEach((b, i) => {
          if (at + i < changed.length) changed[at + i] = b;
        });
        // The property is about changes inside the signed ranges; rewriting a byte with itself is none.
        fc.pre(changed.some((b, i) => b !== original[i] && isSigned(signed, i)));
        let report: Report;
        try {
          report = await verifyPdf(changed, { chain: f.reader });
        } catch (err) {
          throw new Error(`verifyPdf threw for a change at ${at}: ${String(err)}`);
        }
        verdicts.set(report.verdict, (verdicts.get(report.verdict) ?? 0) + 1);
        expect(report.verdict, `change at ${at}: ${report.code}`).not.to.equal("valid");
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
    );
    expect([...verdicts.values()].reduce((a, b) => a + b, 0)).to.be.greaterThan(FUZZ_RUNS / 2);
  });
});

/** The signed ranges [start, length] of the file's only signature, from its /ByteRange. */
function signedRanges(pdfBytes: Uint8Array): [number, number][] {
  const text = Buffer.from(pdfBytes).toString("latin1");
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (!match) throw new Error("the certificate has no /ByteRange");
  const [a, b, c, d] = match.slice(1).map(Number);
  return [
    [a, b],
    [c, d],
  ];
}

function isSigned(ranges: [number, number][], offset: number): boolean {
  return ranges.some(([start, length]) => offset >= start && offset < start + length);
}

/** Maps a position counted over the signed bytes only to a file offset. */
function offsetOf(ranges: [number, number][], position: number): number {
  let left = position;
  for (const [start, length] of ranges) {
    if (left < length) return start + left;
    left -= length;
  }
  throw new RangeError(`position ${position} is outside the signed ranges`);
}
