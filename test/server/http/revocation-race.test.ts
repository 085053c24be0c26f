// POST /api/documents/{id}/revocation while the anchoring queue sends a batch with the same
// operator account, on a real node (Anvil, SQLite, queue, port 0). The revoker's provider lets the
// competing transaction take the nonce right after the revoker read it (NonceRacingProvider): the
// request still revokes, once, and the certificate issued at that moment is anchored; when the
// nonce is taken on every attempt the answer is 503 OPERATOR_NONCE_CONFLICT, never a 500, and the
// same request succeeds afterwards.
import { expect } from "chai";
import { encodeBytes32String } from "ethers";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { until } from "../../helpers/until";
import { NonceRacingProvider } from "../anchor/nonce-racing-provider";
import { startHttpFixture, type HttpFixture } from "./http-fixture";
import { call, expectError } from "./http-client";

type Doc = { id: string; docHashHex: string; status: string; anchoring: { status: string }; revocation?: { reasonCode: number; txHash: string } };
const SAMR = encodeBytes32String("SAMR");

describe("HTTP revocation racing the anchoring queue for the operator's nonce", function () {
  this.timeout(180_000);
  let f: HttpFixture;
  let racing: NonceRacingProvider;

  before(async function () {
    f = await startHttpFixture({}, { revokerProvider: (rpcUrl) => (racing = new NonceRacingProvider(rpcUrl)) });
  });
  after(async function () {
    await f?.close();
  });
  afterEach(function () {
    racing.competitor = undefined;
  });

  async function issueCertificate(): Promise<Doc> {
    const { department: _d, certificateIdentifier: _c, ...body } = demoTemplate({ issueDate: "2026-01-05" });
    const reply = await call<Doc>(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: body });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    return reply.body;
  }
  async function anchoredCertificate(): Promise<Doc> {
    const doc = await issueCertificate();
    await f.queue.drain();
    return doc;
  }
  const revoke = (id: string, reasonCode: number) => call<Doc>(f.baseUrl, "POST", `/api/documents/${id}/revocation`, { token: f.tokens.SAMR, json: { reasonCode } });
  const revocationEvents = (docHashHex: string) => f.chain.contracts.ledger.queryFilter(f.chain.contracts.ledger.filters.DocumentRevoked(docHashHex, SAMR), f.chain.deployment.deployBlock);

  it("revokes once when a certificate issued at that moment is anchored with the nonce it read, and anchors that certificate", async function () {
    const doc = await anchoredCertificate();
    let issued: Doc | undefined;
    let nonceRead = -1;
    racing.competitor = async (nonce) => {
      racing.competitor = undefined;
      nonceRead = nonce;
      const competing = await issueCertificate();
      issued = competing;
      await until(() => f.queue.state(competing.docHashHex)?.status === "confirmed", "the competing batch to be confirmed");
    };

    const reply = await revoke(doc.id, 2);

    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    expect(reply.body.revocation).to.include({ reasonCode: 2 });
    expect((await revocationEvents(doc.docHashHex)).map((e) => e.transactionHash)).to.deep.equal([reply.body.revocation?.txHash]);
    const competing = issued?.docHashHex ?? "";
    const anchors = await findDocumentAnchors(f.chain.contracts.ledger, competing, { fromBlock: f.chain.deployment.deployBlock });
    expect(anchors).to.have.length(1);
    expect(anchors[0].txHash).to.equal(f.queue.state(competing)?.txHash);
    expect((await racing.getTransaction(anchors[0].txHash))?.nonce).to.equal(nonceRead);
    expect((await racing.getTransaction(reply.body.revocation?.txHash ?? ""))?.nonce).to.equal(nonceRead + 1);
  });

  it("answers 503 OPERATOR_NONCE_CONFLICT when every nonce it reads is taken, leaves the document valid, and revokes when asked again", async function () {
    const doc = await anchoredCertificate();
    const operator = f.chain.operators.SAMR.connect(f.chain.provider());
    racing.competitor = async (nonce) => {
      await (await operator.sendTransaction({ to: operator.address, value: 0n, nonce })).wait();
    };

    expectError(await revoke(doc.id, 1), 503, "OPERATOR_NONCE_CONFLICT");
    expect((await call<Doc>(f.baseUrl, "GET", `/api/documents/${doc.id}`)).body.status).to.equal("valid");
    expect(await revocationEvents(doc.docHashHex)).to.deep.equal([]);

    racing.competitor = undefined;
    const again = await revoke(doc.id, 1);
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect((await revocationEvents(doc.docHashHex)).map((e) => e.transactionHash)).to.deep.equal([again.body.revocation?.txHash]);
  });

  it("never answered 500 and logged no internal error", function () {
    const requests = f.logs().filter((l) => typeof l.res === "object");
    expect(requests.filter((l) => (l.res as { statusCode: number }).statusCode >= 500).map((l) => (l.res as { statusCode: number }).statusCode)).to.deep.equal([503]);
    expect(f.logs().filter((l) => l.msg === "request failed")).to.have.length(0);
  });
});
