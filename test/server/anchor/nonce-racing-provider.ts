// A provider for races on an operator's nonce, as the anchoring queue and a revocation run them:
// another transaction of the same operator can be sent right after a pending nonce is read and
// before the reader gets it, or right after a transaction is broadcast. Only the timing is staged;
// every answer and every transaction is the real chain's.
import { JsonRpcProvider, type AddressLike, type BlockTag, type TransactionResponse } from "ethers";

export class NonceRacingProvider extends JsonRpcProvider {
  /** Runs after each pending nonce is read, before the caller sees it. */
  competitor: ((nonce: number) => Promise<void>) | undefined;
  /** Runs after each broadcast, before the caller gets the response. */
  broadcasted: ((tx: TransactionResponse) => Promise<void>) | undefined;

  /** A provider as the queue's (no request cache), polling blocks quickly for wait(). */
  constructor(rpcUrl: string) {
    super(rpcUrl, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1, pollingInterval: 20 });
  }

  override async getTransactionCount(address: AddressLike, blockTag?: BlockTag): Promise<number> {
    const nonce = await super.getTransactionCount(address, blockTag);
    if (blockTag === "pending") await this.competitor?.(nonce);
    return nonce;
  }

  override async broadcastTransaction(signedTx: string): Promise<TransactionResponse> {
    const tx = await super.broadcastTransaction(signedTx);
    await this.broadcasted?.(tx);
    return tx;
  }
}
