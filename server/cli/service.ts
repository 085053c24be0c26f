// The --service URL and --token options of `issue` and `seal`, and what the output says about
// anchoring: a file signed here with the dev keys is stored nowhere and never anchored, so
// `verify` will answer NOT_ANCHORED; one signed through a node is anchored by that node.
import type { CliConfig } from "../config";
import { UsageError, type CliIo } from "./io";
import { createServiceClient, type ServiceClient, type ServiceDocument } from "./service-client";

/** The options that send a command through a node's API. */
export const SERVICE_OPTIONS = {
  service: { type: "string" },
  token: { type: "string" },
} as const;

/** Help lines for {@link SERVICE_OPTIONS}. */
export const SERVICE_HELP = [
  "  --service URL     sign through the ZeroSign node at URL (e.g. http://127.0.0.1:8080): it signs",
  "                    with its keys, stores the document and anchors it",
  "  --token TOKEN     the node's operator token (default $ZEROSIGN_TOKEN; see zerosign token create)",
].join("\n");

/** Help paragraph: what anchoring a file gets. */
export const NOT_ANCHORED_HELP = `Without --service the file is signed here with the dev keys in --data and is NOT anchored:
nothing records it on the ledger, so "zerosign verify" reports it unknown (NOT_ANCHORED).
With --service URL a running node signs, stores and anchors it.`;

/** Printed after a file signed without --service. */
export const NOT_ANCHORED_NOTE =
  "Not anchored: signed locally, so verify will say NOT_ANCHORED. Use --service URL to sign through a node, which anchors it.\n";

/** The node to go through, when --service is given; UsageError for a token without a node or a node without a token. */
export function serviceOf(
  values: { service?: string; token?: string },
  config: CliConfig,
): { url: string; client: ServiceClient } | undefined {
  if (values.service === undefined) {
    if (values.token !== undefined) throw new UsageError("--token needs --service URL");
    return undefined;
  }
  if (!/^https?:\/\/[^\s/]+/.test(values.service)) throw new UsageError(`--service must be an http(s) URL, got "${values.service}"`);
  const token = values.token ?? config.token;
  if (token === undefined) throw new UsageError("--service needs an operator token: --token TOKEN or ZEROSIGN_TOKEN");
  return { url: values.service, client: createServiceClient(values.service, token) };
}

/** Prints what a node did with a document sent through it. */
export function printServiceDocument(io: CliIo, url: string, doc: ServiceDocument, what: string, out: string, bytes: number): void {
  io.stdout.write(
    `${what} through ${url} for ${doc.departmentCode}: document ${doc.id}, hash ${doc.docHashHex}\n` +
      `Anchoring: ${doc.anchoring.status} (the node anchors it; GET ${url.replace(/\/+$/, "")}/api/documents/${doc.id} shows its state)\n` +
      `Wrote ${out} (${bytes} bytes)\n`,
  );
}
