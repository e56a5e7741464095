import { isSafeWebUrl, studioButtons, studioUrlFor } from '../studioUrl';
import links from './data/links.json';

describe('studioUrlFor', () => {
  it('builds Studio URL + /members/ + Slack user id, without doubled slashes', () => {
    expect(studioUrlFor(links[0])).toBe('https://studio.tightknit.example/c/builders/members/U123ABC');
  });

  it('prefers the member profile URL when set', () => {
    expect(studioUrlFor(links[1])).toBe('https://studio.tightknit.example/custom/ada');
  });

  it('encodes the Slack user id and refuses unsafe or incomplete input', () => {
    expect(studioUrlFor({ memberId: 'm', studioUrl: 'https://s.example', slackUserId: 'U 1/2' })).toBe(
      'https://s.example/members/U%201%2F2',
    );
    expect(studioUrlFor({ memberId: 'm', profileUrl: ['javascript', 'alert(1)'].join(':') })).toBeNull();
    expect(studioUrlFor({ memberId: 'm', studioUrl: 'https://s.example' })).toBeNull();
    expect(studioUrlFor({ memberId: 'm', studioUrl: '/relative', slackUserId: 'U1' })).toBeNull();
    expect(isSafeWebUrl('ftp://x.example')).toBe(false);
  });
});

describe('studioButtons', () => {
  it('labels a single button plainly and several by community', () => {
    expect(studioButtons([links[0]], 'View', 'View ({0})').map((button) => button.label)).toEqual(['View']);
    expect(studioButtons(links, 'View', 'View ({0})').map((button) => button.label)).toEqual([
      'View (Builders)',
      'View (Founders)',
    ]);
  });

  it('leaves out members without a usable link', () => {
    expect(studioButtons([{ memberId: 'm' }], 'View', 'View ({0})')).toEqual([]);
  });
});
