import { doneCount, findUser, stepStatuses, userLabel, userOptions } from '../setupWizardModel';

const USERS = require('./data/users.json');
const STATE_EMPTY = require('./data/stateEmpty.json');
const STATE_DONE = require('./data/stateDone.json');

describe('setupWizardModel', () => {
  it('derives every step status from the state', () => {
    expect(stepStatuses(STATE_EMPTY)).toEqual({
      user: 'attention',
      permissionSet: 'attention',
      contactAccess: 'attention',
      externalClientApp: 'attention',
    });
    expect(doneCount(stepStatuses(STATE_DONE))).toBe(4);
  });

  it('keeps step 1 open for an API-only integration user', () => {
    const apiOnly = { ...STATE_DONE, integrationUser: USERS[1] };
    expect(stepStatuses(apiOnly).user).toBe('attention');
    expect(stepStatuses(apiOnly).permissionSet).toBe('done');
  });

  it('labels users with username and license', () => {
    expect(userLabel(USERS[0])).toBe('Tightknit Sync (sync@example.com) · Salesforce Platform');
    expect(userLabel({ ...USERS[0], licenseName: undefined })).toBe('Tightknit Sync (sync@example.com)');
  });

  it('keeps the stored user in the options when the search misses it', () => {
    const stored = { ...USERS[0], id: '005000000000009AAA' };
    expect(userOptions(USERS, stored).map((option) => option.value)).toEqual([stored.id, USERS[0].id, USERS[1].id]);
    expect(userOptions(USERS, USERS[0])).toHaveLength(2);
    expect(userOptions([], null)).toEqual([]);
  });

  it('finds the picked user among the stored and found users', () => {
    expect(findUser(undefined, USERS, null)).toBeUndefined();
    expect(findUser(USERS[1].id, USERS, null)).toBe(USERS[1]);
    const stored = { ...USERS[0], id: '005000000000009AAA' };
    expect(findUser(stored.id, USERS, stored)).toBe(stored);
    expect(findUser('005000000000000AAA', USERS, stored)).toBeUndefined();
  });
});
