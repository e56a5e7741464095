import type { AsyncStore } from '../../sync/store';
import { describeCommunityData } from './community';
import { describeLedger } from './ledger';
import { describeMatching } from './matching';
import { describeScoring } from './scoring';
import { describeSourceBookkeeping } from './sources';
import { describeTransfer } from './transfer';

/** A store under test, and how to reach it again as a restarted process would. */
interface StoreUnderTest {
  /** A new, empty store. */
  store: AsyncStore;
  /** Another handle on the same store (a second process, or the same one after a crash). */
  reopen(): Promise<AsyncStore>;
  /** Removes what the store left behind (files, a schema); called after every handle is closed. */
  dispose(): Promise<void>;
}

/** Makes a fresh store for one test. */
export type MakeStore = () => Promise<StoreUnderTest>;

/** What each part of the suite gets: the store of the running test and its second handle. */
export interface SuiteContext {
  store(): AsyncStore;
  reopen(): Promise<AsyncStore>;
  /** A second, empty store of the same implementation (an import's target), removed after the test. */
  another(): Promise<AsyncStore>;
}

/**
 * The behaviour every store implementation must have, as one jest suite: change-sequence order,
 * idempotent upserts, writes that commit or roll back as one, watermarks that move only after commit,
 * a ledger that resumes after a crash, history queries, the Slack inbox and receivers, the sources'
 * bookkeeping. An implementation runs it unchanged with its own `makeStore`:
 *
 *   describeStoreContract('PostgreSQL store', async () => ({ store, reopen, dispose }));
 */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`store contract: ${name}`, () => {
    let current: StoreUnderTest | undefined;
    let handles: AsyncStore[] = [];
    let others: StoreUnderTest[] = [];

    beforeEach(async () => {
      current = await makeStore();
      handles = [current.store];
      others = [];
    });
    afterEach(async () => {
      for (const h of handles) await h.close();
      await current?.dispose();
      current = undefined;
      for (const o of others) {
        await o.store.close();
        await o.dispose();
      }
    });

    const ctx: SuiteContext = {
      store: () => {
        if (!current) throw new Error('No store: the suite runs its tests inside describeStoreContract');
        return current.store;
      },
      reopen: async () => {
        if (!current) throw new Error('No store: the suite runs its tests inside describeStoreContract');
        const again = await current.reopen();
        handles.push(again);
        return again;
      },
      another: async () => {
        const other = await makeStore();
        others.push(other);
        return other.store;
      },
    };

    describeCommunityData(ctx);
    describeScoring(ctx);
    describeLedger(ctx);
    describeMatching(ctx);
    describeSourceBookkeeping(ctx);
    describeTransfer(ctx);
  });
}
