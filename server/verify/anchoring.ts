// Which bytes of a PDF are anchored, and what that makes of each signature: the facts the anchor,
// signer-key and revocation checks share, asked of the chain once per verification (ctx.memo).
// The definition (docs/verification.md): the whole file's SHA-256, then the SHA-256 of each
// revision prefix that ends where a signature's byte range ends; the newest one found anchored is
// "the anchored revision". Whether signatures are intact is not decided here.
import { createHash } from "node:crypto";
import type { AnchorRecord } from "../chain/anchor-lookup";
import type { PdfSignature } from "../pdf/read/types";
import type { DocumentRevocation, KeyAtTime } from "./chain-reader";
import type { VerifyContext } from "./context";
import { signerFacts } from "./signer-facts";

/** A prefix of the file that may have been anchored: the whole file, or a signed revision. */
export interface AnchorCandidate {
  /** Exclusive end of the prefix; the file's length for the whole file. */
  endOffset: number;
  /** The revision (PdfRevision.index) that ends at endOffset, or the last one for the whole file. */
  revisionIndex: number;
  /** SHA-256 of bytes [0, endOffset), lowercase 0x-hex. */
  docHashHex: string;
}

/** A candidate found on the ledger, with every anchoring of its hash (earliest first). */
export interface AnchoredRevision extends AnchorCandidate {
  anchorings: AnchorRecord[];
}

/** The anchoring facts of one PDF. */
export interface AnchoringFacts {
  /** Every candidate, newest (longest) first, as looked up. */
  candidates: AnchorCandidate[];
  /** The anchored candidates, newest first; the first is "the anchored revision". */
  anchored: AnchoredRevision[];
}

/** The exclusive end of a signature's signed ranges, or undefined when /ByteRange is malformed. */
export function signedEnd(signature: PdfSignature): number | undefined {
  const range = signature.byteRange;
  if (range.length !== 4 || !range.every((n) => Number.isSafeInteger(n) && n >= 0)) return undefined;
  return range[2] + range[3];
}

/**
 * The prefixes ZeroSign may have anchored, newest first: the whole file, then each revision that
 * ends exactly where a signature's signed ranges end. A prefix ending elsewhere was never handed
 * out by a signer, so it is not looked up.
 */
export function anchorCandidates(ctx: VerifyContext): AnchorCandidate[] {
  const { bytes, revisions, signatures, sha256Hex } = ctx.pdf;
  const last = revisions[revisions.length - 1];
  const candidates: AnchorCandidate[] = [
    { endOffset: bytes.length, revisionIndex: last?.index ?? 0, docHashHex: sha256Hex.toLowerCase() },
  ];
  const ends = new Set(signatures.map(signedEnd));
  for (const revision of [...revisions].sort((a, b) => b.endOffset - a.endOffset)) {
    // A signature may end its revision after %%EOF or after the end of line that follows it.
    const end = ends.has(revision.endOffset) ? revision.endOffset : ends.has(revision.eofEnd) ? revision.eofEnd : undefined;
    if (end === undefined || end >= bytes.length) continue;
    candidates.push({ endOffset: end, revisionIndex: revision.index, docHashHex: sha256Prefix(bytes, end) });
  }
  return candidates;
}

/** Looks up every candidate (in parallel); memoized. Throws ChainUnavailableError on outages. */
export function anchoringFacts(ctx: VerifyContext): Promise<AnchoringFacts> {
  return ctx.memo("anchoring", async () => {
    const chain = requireChain(ctx);
    const candidates = anchorCandidates(ctx);
    const found = await Promise.all(
      candidates.map((c) => ctx.memo(`anchors:${c.docHashHex}`, () => chain.findAnchors(c.docHashHex))),
    );
    const anchored = candidates
      .map((c, i): AnchoredRevision => ({ ...c, anchorings: found[i] }))
      .filter((c) => c.anchorings.length > 0);
    return { candidates, anchored };
  });
}

/**
 * The trusted time of a signature: the earliest block time at which any anchored prefix that
 * contains its signed ranges was on chain. A hash on chain proves those bytes existed then, so a
 * later re-anchoring (by anyone) never moves the time. Undefined when the signature came after
 * the last anchored revision (NO_TRUSTED_TIME).
 */
export function trustedTimeSec(facts: AnchoringFacts, signature: PdfSignature): number | undefined {
  const end = signedEnd(signature);
  if (end === undefined) return undefined;
  const times = facts.anchored.filter((a) => a.endOffset >= end).map((a) => a.anchorings[0].anchoredAtSec);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The signatures that close `revision`: those whose signed ranges end last within it. */
export function closingSignatures(ctx: VerifyContext, revision: AnchorCandidate): PdfSignature[] {
  const inside = ctx.pdf.signatures
    .map((s) => ({ s, end: signedEnd(s) }))
    .filter((x): x is { s: PdfSignature; end: number } => x.end !== undefined && x.end <= revision.endOffset);
  const lastEnd = Math.max(...inside.map((x) => x.end));
  return inside.filter((x) => x.end === lastEnd).map((x) => x.s);
}

/** The registry key id of a signature's signer certificate, or undefined if the CMS has none. */
export async function keyIdOf(ctx: VerifyContext, signature: PdfSignature): Promise<string | undefined> {
  const facts = await signerFacts(ctx);
  return facts.find((f) => f?.signatureIndex === signature.index)?.keyIdHex;
}

/**
 * The department that signed `revision`: the department of the registered key of the signature
 * that closes it, asked at that signature's trusted time (the question signer-key asks too, so
 * it is asked once). Undefined if no closing signature has a registered key.
 */
export async function signingDepartment(
  ctx: VerifyContext,
  facts: AnchoringFacts,
  revision: AnchorCandidate,
): Promise<string | undefined> {
  for (const signature of closingSignatures(ctx, revision)) {
    const keyIdHex = await keyIdOf(ctx, signature);
    const timeSec = trustedTimeSec(facts, signature);
    if (keyIdHex === undefined || timeSec === undefined) continue;
    const key = await keyAtTime(ctx, keyIdHex, timeSec);
    if (key.status !== "unknown-key") return key.departmentId.toLowerCase();
  }
  return undefined;
}

/**
 * The department whose revocation of `revision` counts: the one that signed it; when its key is
 * not registered, the department that first anchored it (signer-key reports the unknown key).
 */
export async function revisionIssuer(ctx: VerifyContext, facts: AnchoringFacts, revision: AnchoredRevision): Promise<string> {
  return (await signingDepartment(ctx, facts, revision)) ?? revision.anchorings[0].departmentId.toLowerCase();
}

/**
 * Starts, all at once, the chain questions the chain checks are going to ask, so they are under
 * way while the offline checks run and are not asked one after another; the checks then find the
 * answers memoized. Two questions are asked ahead of what they depend on, because their answer is
 * almost always the one needed: each anchored revision's revocation by, and the name of, the
 * department that anchored it (the checks ask the signing department, which their key lookup
 * gives; when it is another department, they ask again for it). Every answer is this
 * verification's own: nothing is kept for the next one.
 */
export function prefetchChainFacts(ctx: VerifyContext): void {
  started(
    anchoringFacts(ctx).then((facts) => {
      for (const revision of facts.anchored) {
        const anchorer = revision.anchorings[0].departmentId;
        started(revocationOf(ctx, revision.docHashHex, anchorer));
        started(departmentName(ctx, anchorer));
      }
      for (const signature of ctx.pdf.signatures) {
        const timeSec = trustedTimeSec(facts, signature);
        if (timeSec === undefined) continue;
        started(
          keyIdOf(ctx, signature).then(async (keyIdHex) => {
            if (keyIdHex === undefined) return;
            const key = await keyAtTime(ctx, keyIdHex, timeSec);
            if (key.status !== "unknown-key") await departmentName(ctx, key.departmentId);
          }),
        );
      }
    }),
  );
}

/**
 * A prefetched question: the check that needs its answer awaits the same memoized promise and
 * reports its failure (CHAIN_UNREACHABLE, …) there; here a failure is only not left unhandled.
 */
function started(question: Promise<unknown>): void {
  question.catch(() => undefined);
}

/** The registry's record of a key at a time; memoized so every check asks it once. */
export function keyAtTime(ctx: VerifyContext, keyIdHex: string, timeSec: number): Promise<KeyAtTime> {
  const chain = requireChain(ctx);
  return ctx.memo(`key:${keyIdHex.toLowerCase()}@${timeSec}`, () => chain.keyAt(keyIdHex, timeSec));
}

/** The department's revocation of a document hash, if any; memoized. */
export function revocationOf(ctx: VerifyContext, docHashHex: string, departmentId: string): Promise<DocumentRevocation | undefined> {
  const chain = requireChain(ctx);
  return ctx.memo(`revocation:${docHashHex.toLowerCase()}:${departmentId.toLowerCase()}`, () =>
    chain.revocation(docHashHex, departmentId),
  );
}

/** A department's registered name; memoized. */
export function departmentName(ctx: VerifyContext, departmentId: string): Promise<string | undefined> {
  const chain = requireChain(ctx);
  return ctx.memo(`department:${departmentId.toLowerCase()}`, () => chain.departmentName(departmentId));
}

/** The chain; verifier.ts skips chain checks offline, so its absence here is a bug. */
function requireChain(ctx: VerifyContext) {
  if (!ctx.chain) throw new Error("chain facts asked while verifying offline");
  return ctx.chain;
}

function sha256Prefix(bytes: Uint8Array, end: number): string {
  return "0x" + createHash("sha256").update(bytes.subarray(0, end)).digest("hex");
}
