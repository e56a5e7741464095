import { createElement } from 'lwc';
import App from 'tk/app';

describe('tk-app', () => {
  it('renders the title', () => {
    const el = createElement('tk-app', { is: App });
    document.body.appendChild(el);
    expect(el.querySelector('h1')?.textContent).toBe('Tightknit Sync');
  });
});
