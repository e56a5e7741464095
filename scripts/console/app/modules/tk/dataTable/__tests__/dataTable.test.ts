import DataTable from 'tk/dataTable';
import { cleanup, flush, mount } from '../../../../__tests__/helpers';

describe('tk-data-table', () => {
  afterEach(cleanup);

  it('shows the column headers, then a row header and the cells of each row', async () => {
    const el = mount('tk-data-table', DataTable, {
      tableClass: 'slds-table slds-table_bordered',
      headRowClass: 'slds-line-height_reset',
      columns: [
        { key: 'name', label: 'Name' },
        { key: 'count', label: 'Count' },
        { key: 'state', label: 'State' },
      ],
      rows: [
        {
          key: 'j1',
          job: 'j1',
          header: { text: '750x1', className: 'tk-mono' },
          cells: [
            { key: 'count', text: '3', className: 'slds-text-color_error' },
            { key: 'state', text: 'Failed', note: 'Bad request', noteClass: 'slds-text-color_error' },
          ],
        },
        { key: 'member', object: 'member', header: { text: 'Members' }, cells: [{ key: 'count', text: '12' }] },
      ],
    });
    await flush();
    const table = el.querySelector('table')!;
    expect(table.className).toBe('slds-table slds-table_bordered');
    expect(table.querySelector('thead tr')?.className).toBe('slds-line-height_reset');
    expect(
      Array.from(table.querySelectorAll('thead th')).map((th) => [th.textContent, th.getAttribute('scope')]),
    ).toEqual([
      ['Name', 'col'],
      ['Count', 'col'],
      ['State', 'col'],
    ]);
    const job = table.querySelector('[data-job="j1"]')!;
    expect(job.hasAttribute('data-object')).toBe(false);
    expect(job.children[0].tagName).toBe('TH');
    expect(job.children[0].getAttribute('scope')).toBe('row');
    expect(job.children[0].className).toBe('tk-mono');
    expect(job.children[1].className).toBe('slds-text-color_error');
    expect(job.children[2].querySelector('br')).not.toBeNull();
    expect(job.children[2].querySelector('.slds-text-color_error')?.textContent).toBe('Bad request');
    const member = table.querySelector('[data-object="member"]')!;
    expect(Array.from(member.children).map((c) => c.textContent)).toEqual(['Members', '12']);
    expect(member.querySelector('br')).toBeNull();
  });
});
