import type { TestDatabase, TestDb } from 'devlake-ts/testing';
import { migrateFlaky } from './flaky-plugin';
import type { FlakyServer } from './flaky-server';

/** What a test of the flaky plugin works with; `server` is set by the test that starts one. */
export interface FlakyFixture {
  /** A fresh database with the flaky plugin's tables, one per test. */
  db: TestDb;
  /** The test's server, closed after the test. */
  server: FlakyServer | undefined;
}

/**
 * Registers beforeEach/afterEach hooks in the calling `describe`: each test
 * gets a fresh, migrated database, dropped afterwards with the server the
 * test started.
 */
export function useFlakyFixture(target: TestDatabase): FlakyFixture {
  const fixture = { server: undefined } as FlakyFixture;
  beforeEach(async () => {
    fixture.db = await target.open();
    await migrateFlaky(fixture.db.dal);
  });
  afterEach(async () => {
    await fixture.server?.close();
    fixture.server = undefined;
    await fixture.db.drop();
  });
  return fixture;
}
