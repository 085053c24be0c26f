// pdf-lib's object model (dictionaries, arrays, names … the context and the parser), imported
// from its core modules one by one. The package's entry point also loads its document, form and
// font layers, which the reader never uses: 55 ms of every `zerosign verify` process start. The
// classes are the same ones the entry point exports (it re-exports these modules), so objects
// made here pass `instanceof` anywhere. pdf-lib is pinned (1.17.1), so the paths hold.
export { default as PDFArray } from "pdf-lib/cjs/core/objects/PDFArray";
export { default as PDFBool } from "pdf-lib/cjs/core/objects/PDFBool";
export { default as PDFDict } from "pdf-lib/cjs/core/objects/PDFDict";
export { default as PDFHexString } from "pdf-lib/cjs/core/objects/PDFHexString";
export { default as PDFName } from "pdf-lib/cjs/core/objects/PDFName";
export { default as PDFNull } from "pdf-lib/cjs/core/objects/PDFNull";
export { default as PDFNumber } from "pdf-lib/cjs/core/objects/PDFNumber";
export { default as PDFRawStream } from "pdf-lib/cjs/core/objects/PDFRawStream";
export { default as PDFRef } from "pdf-lib/cjs/core/objects/PDFRef";
export { default as PDFString } from "pdf-lib/cjs/core/objects/PDFString";
export type { default as PDFObject } from "pdf-lib/cjs/core/objects/PDFObject";
export { default as PDFContext } from "pdf-lib/cjs/core/PDFContext";
export { default as PDFObjectParser } from "pdf-lib/cjs/core/parser/PDFObjectParser";
export { default as ByteStream } from "pdf-lib/cjs/core/parser/ByteStream";
export { default as PDFCatalog } from "pdf-lib/cjs/core/structures/PDFCatalog";
export { default as PDFPageLeaf } from "pdf-lib/cjs/core/structures/PDFPageLeaf";
export { default as PDFPageTree } from "pdf-lib/cjs/core/structures/PDFPageTree";
