// The BER element walk the CMS reader locates SignedData's parts with: definite lengths in short
// and long form, indefinite lengths ended by end-of-contents, and every hostile header (cut off,
// longer than the input or its parent, over four length octets, indefinite on a primitive, nested
// without end) refused rather than read past.
import { expect } from "chai";
import { readChildren, readTlv, type Tlv } from "../../../server/verify/ber-tlv";

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s/g, ""), "hex"));

function mustRead(b: Uint8Array): Tlv {
  const tlv = readTlv(b, 0);
  if (!tlv) throw new Error("the outer element does not read");
  return tlv;
}

describe("BER element walk", function () {
  it("reads a short-form definite length", function () {
    expect(readTlv(bytes("3003 020105 ff"), 0)).to.deep.equal({ tag: 0x30, start: 0, contentStart: 2, contentEnd: 5, end: 5 });
  });

  it("reads long-form definite lengths, with and without a leading zero octet", function () {
    const long = new Uint8Array(4 + 300);
    long.set([0x04, 0x82, 0x01, 0x2c]);
    expect(readTlv(long, 0)).to.deep.include({ contentStart: 4, end: 304 });
    expect(readTlv(bytes("04 8200 02 abcd"), 0)).to.deep.include({ contentStart: 4, end: 6 });
  });

  it("reads an indefinite length up to its end-of-contents, through nested indefinite elements", function () {
    // SEQUENCE(indef) { [0](indef) { INTEGER 1 } EOC, NULL } EOC, then padding
    const ber = bytes("3080 a080 020101 0000 0500 0000 0000");
    expect(readTlv(ber, 0)).to.deep.equal({ tag: 0x30, start: 0, contentStart: 2, contentEnd: 11, end: 13 });
    expect(readChildren(ber, mustRead(ber))?.map((c) => [c.tag, c.start, c.end])).to.deep.equal([
      [0xa0, 2, 9],
      [0x05, 9, 11],
    ]);
  });

  it("skips over a high tag number's identifier octets", function () {
    expect(readTlv(bytes("bf8a01 02 0500"), 0)).to.deep.equal({ tag: 0xbf, start: 0, contentStart: 4, contentEnd: 6, end: 6 });
  });

  const hostile: { name: string; hex: string; limit?: number }[] = [
    { name: "no length octet", hex: "30" },
    { name: "a high tag number cut off", hex: "bf8a" },
    { name: "a long-form length cut off", hex: "3082 01" },
    { name: "a short length past the end", hex: "3005 0201" },
    { name: "a long length past the end", hex: "3082 ffff 00" },
    { name: "a length past the given limit", hex: "0402 abcd", limit: 3 },
    { name: "more than four length octets", hex: "0485 0000000001 00" },
    { name: "the reserved length octet 0xff", hex: "04ff 00" },
    { name: "an indefinite length on a primitive", hex: "0480 ab 0000" },
    { name: "an indefinite length without end-of-contents", hex: "3080 020101" },
    { name: "an indefinite length whose child runs past the end", hex: "3080 0205 01" },
    { name: "indefinite lengths nested without end", hex: "3080".repeat(40) + "0000".repeat(40) },
  ];
  for (const h of hostile) {
    it(`refuses ${h.name}`, function () {
      const b = bytes(h.hex);
      expect(readTlv(b, 0, h.limit ?? b.length)).to.equal(undefined);
    });
  }

  it("refuses children that do not exactly fill their parent", function () {
    // SEQUENCE of 4 bytes whose child claims 3: the child runs past its parent.
    const b = bytes("3004 0203 0101 01");
    expect(readChildren(b, mustRead(b))).to.equal(undefined);
  });

  it("stops reading children one past maxCount, so a caller can refuse too many unread", function () {
    // SEQUENCE of four NULLs, then a child whose length runs past the parent.
    const b = bytes("300a 0500 0500 0500 0500 0203");
    expect(readChildren(b, mustRead(b))).to.equal(undefined);
    expect(readChildren(b, mustRead(b), 2)?.map((c) => c.start)).to.deep.equal([2, 4, 6]);
    const four = bytes("3008 0500 0500 0500 0500");
    expect(readChildren(four, mustRead(four), 4)).to.have.length(4);
  });
});
