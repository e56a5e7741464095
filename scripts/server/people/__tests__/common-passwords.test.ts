import { passwordProblem } from '../passwords';

describe('the breached-password check', () => {
  it.each([
    ['a long password on the list as it is', '1qaz2wsx3edc'],
    ['a common password padded with digits', 'password12345678'],
    ['padded with symbols and a year on both sides', '!!Sunshine2024!!'],
    ['said twice', 'dragondragon'],
    ['said three times, mixed case', 'MonkeyMonkeyMonkey'],
    ["this product's own name padded", 'Tightknit2026!'],
    ['a keyboard row padded', 'qwertyuiop!!'],
  ])('refuses %s', (_what, password) => {
    expect(passwordProblem(password)).toContain('on the list of common, breached passwords');
  });

  it.each([
    ['unrelated words', 'copper lantern orchard'],
    ['a common word inside other words', 'my password is a secret river'],
    ['a three-letter listed word padded (too short to look up alone)', 'cat!!!!!!!!!!!'],
    ['random characters', 'x7#Qv9!mT2$kLp'],
  ])('accepts %s', (_what, password) => {
    expect(passwordProblem(password)).toBeUndefined();
  });

  it('checks the length before the list', () => {
    expect(passwordProblem('dragon')).toBe('Use at least 12 characters.');
  });
});
