import { profileCards } from '../profileModel';
import profiles from './data/profiles.json';

const labels = { linked: 'Linked', byEmail: 'By email', avatar: 'Avatar of {0}' };

describe('profileCards', () => {
  it('puts linked profiles first and says how each was matched', () => {
    const cards = profileCards(profiles, false, labels);
    expect(cards.map((card) => card.memberId)).toEqual(['a01000000000001AAA', 'a01000000000002AAA']);
    expect(cards.map((card) => card.matchLabel)).toEqual(['Linked', 'By email']);
    expect(cards[0].avatarAlt).toBe('Avatar of Ada Lovelace');
  });

  it('drops email-only matches when asked', () => {
    expect(profileCards(profiles, true, labels).map((card) => card.memberId)).toEqual(['a01000000000001AAA']);
  });

  it('names a profile without a name by its email', () => {
    const [card] = profileCards([{ memberId: 'm1', email: 'x@example.com', linkedByLookup: true }], false, labels);
    expect(card.displayName).toBe('x@example.com');
    expect(card.hasLevel).toBe(false);
  });
});
