// @peculiar/x509 needs reflect-metadata loaded first and a WebCrypto provider; Node's own
// webcrypto is used so no native module or polyfill is involved.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509, webcrypto };
