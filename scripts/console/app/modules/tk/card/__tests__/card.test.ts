import Card from 'tk/card';
import { cleanup, flush, mount, must } from '../../../../__tests__/helpers';

describe('tk-card', () => {
  afterEach(cleanup);

  it('is an article named by its heading', async () => {
    const el = mount('tk-card', Card, { cardId: 'section-x', headingId: 'tk-section-x', heading: '1. Connect' });
    await flush();
    const card = must(el, 'section-x');
    expect(card.tagName).toBe('ARTICLE');
    expect(card.getAttribute('aria-labelledby')).toBe('tk-section-x');
    expect(card.querySelector('#tk-section-x')?.textContent).toBe('1. Connect');
  });
});
