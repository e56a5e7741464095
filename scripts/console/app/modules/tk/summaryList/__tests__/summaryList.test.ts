import SummaryList from 'tk/summaryList';
import { cleanup, flush, mount, must } from '../../../../__tests__/helpers';

describe('tk-summary-list', () => {
  afterEach(cleanup);

  it('shows one label / value pair a row, named by its key', async () => {
    const el = mount('tk-summary-list', SummaryList, {
      listId: 'some-summary',
      rows: [
        { key: 'org', label: 'Org', value: 'https://example.my.salesforce.com' },
        { key: 'user', label: 'User', value: 'admin@example.com' },
      ],
    });
    await flush();
    const list = must(el, 'some-summary');
    expect(list.tagName).toBe('DL');
    const rows = Array.from(list.querySelectorAll('.tk-summary__row'));
    expect(rows.map((r) => r.getAttribute('data-field'))).toEqual(['org', 'user']);
    expect(list.querySelector('[data-field="user"] dt')?.textContent).toBe('User');
    expect(list.querySelector('[data-field="user"] dd')?.textContent).toBe('admin@example.com');
  });

  it('is an empty list without rows', async () => {
    const el = mount('tk-summary-list', SummaryList, { listId: 'empty' });
    await flush();
    expect(must(el, 'empty').children).toHaveLength(0);
  });
});
