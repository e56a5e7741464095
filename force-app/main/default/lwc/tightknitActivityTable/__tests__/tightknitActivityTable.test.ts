import TightknitActivityTable from 'c/tightknitActivityTable';
import { getNavigateCalledWith, resetNavigation } from 'lightning/navigation';
import {
  accessibilityProblems,
  cleanupDom,
  fire,
  flushPromises,
  mount,
  prop,
  shadow,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import activityPage from './data/activityPage.json';
import emptyPage from './data/emptyPage.json';

jest.mock('@salesforce/label/c.Tightknit_Page_Number', () => ({ default: 'Page {0}' }), { virtual: true });

type TableRow = { id: string; type: string; channel: string; viewLabel: string; viewTitle: string };

function mountTable(props: Record<string, unknown> = {}) {
  return mount('c-tightknit-activity-table', TightknitActivityTable, { page: activityPage, ...props });
}

function datatable(element: Element) {
  return shadow(element).querySelector('[data-id="table"]');
}

function button(element: Element, dataId: 'previous' | 'next') {
  return shadow(element).querySelector(`[data-id="${dataId}"]`) as HTMLElement;
}

/** Collects the details of the events the table dispatches under `name`. */
function listen<T>(element: Element, name: string): T[] {
  const details: T[] = [];
  element.addEventListener(name, (event) => details.push((event as CustomEvent<T>).detail));
  return details;
}

describe('c-tightknit-activity-table', () => {
  afterEach(() => {
    cleanupDom();
    resetNavigation();
  });

  it('lists the page newest first with labelled columns and View buttons', async () => {
    const element = await mountTable();

    const table = datatable(element);
    const rows = prop<TableRow[]>(table, 'data');
    expect(rows.map((row) => row.id)).toEqual(['a02000000000003AAA', 'a02000000000002AAA', 'a02000000000001AAA']);
    expect(rows[0]).toMatchObject({ channel: '#help', viewLabel: 'c.Tightknit_View' });
    expect(prop<{ label: string }[]>(table, 'columns').map((column) => column.label)).toEqual([
      'c.Tightknit_Col_Occurred',
      'c.Tightknit_Col_Type',
      'c.Tightknit_Col_Summary',
      'c.Tightknit_Col_Channel',
      'c.Tightknit_View',
    ]);
    expect(prop(table, 'keyField')).toBe('id');
    expect(prop(table, 'sortedBy')).toBe('occurredAt');
    expect(prop(table, 'sortedDirection')).toBe('desc');
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('shows fewer columns in a narrow sidebar', async () => {
    const element = await mountTable({ regionWidth: 'SMALL' });
    expect(prop<unknown[]>(datatable(element), 'columns')).toHaveLength(3);
  });

  it('reports a header click as sortchange and sorts by the sort it is given', async () => {
    const element = await mountTable();
    const sorts = listen<{ fieldName: string; direction: string }>(element, 'sortchange');

    await fire(datatable(element), 'sort', { fieldName: 'type', sortDirection: 'asc' });
    expect(sorts).toEqual([{ fieldName: 'type', direction: 'asc' }]);

    Object.assign(element, { sort: sorts[0] });
    await flushPromises();
    const table = datatable(element);
    expect(prop<TableRow[]>(table, 'data').map((row) => row.type)).toEqual([
      'Message Sent',
      'Reaction Added',
      'Thread Reply',
    ]);
    expect(prop(table, 'sortedBy')).toBe('type');
    expect(prop(table, 'sortedDirection')).toBe('asc');
  });

  it('hides the pager when everything fits on page 1', async () => {
    const element = await mountTable({ page: { ...activityPage, hasMore: false } });
    expect(shadow(element).querySelector('[data-id="pager"]')).toBeNull();
  });

  it('asks for the next page only while there is one', async () => {
    const element = await mountTable();
    const pages = listen<{ pageNumber: number }>(element, 'pagechange');

    expect(shadow(element).querySelector('[data-id="page-number"]')?.textContent).toBe('Page 1');
    expect(prop(button(element, 'previous'), 'disabled')).toBe(true);
    expect(prop(button(element, 'next'), 'disabled')).toBe(false);
    button(element, 'previous').click();
    button(element, 'next').click();
    await flushPromises();
    expect(pages).toEqual([{ pageNumber: 2 }]);

    Object.assign(element, { pageNumber: 2, page: { ...activityPage, pageNumber: 2, hasMore: false } });
    await flushPromises();
    expect(shadow(element).querySelector('[data-id="page-number"]')?.textContent).toBe('Page 2');
    expect(prop(button(element, 'next'), 'disabled')).toBe(true);
    button(element, 'next').click();
    button(element, 'previous').click();
    await flushPromises();
    expect(pages).toEqual([{ pageNumber: 2 }, { pageNumber: 1 }]);
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('keeps the pager of the asked page while it loads, with Next disabled', async () => {
    const element = await mountTable({ page: undefined, pageNumber: 2, hideEmptyTable: true });
    expect(datatable(element)).toBeNull();
    expect(shadow(element).querySelector('[data-id="page-number"]')?.textContent).toBe('Page 2');
    expect(prop(button(element, 'next'), 'disabled')).toBe(true);
    expect(prop(button(element, 'previous'), 'disabled')).toBe(false);
  });

  it('shows an empty table unless told to leave it out', async () => {
    const shown = await mountTable({ page: emptyPage, pageNumber: 2 });
    expect(prop<unknown[]>(datatable(shown), 'data')).toEqual([]);

    cleanupDom();
    const hidden = await mountTable({ page: emptyPage, pageNumber: 2, hideEmptyTable: true });
    expect(datatable(hidden)).toBeNull();
    expect(shadow(hidden).querySelector('[data-id="pager"]')).not.toBeNull();
  });

  it('opens the Activity record from the View button and ignores other actions', async () => {
    const element = await mountTable();

    await fire(datatable(element), 'rowaction', { action: { name: 'edit' }, row: { id: 'a02000000000002AAA' } });
    expect(getNavigateCalledWith()).toBeUndefined();

    await fire(datatable(element), 'rowaction', { action: { name: 'view' }, row: { id: 'a02000000000002AAA' } });
    expect(getNavigateCalledWith()).toEqual({
      type: 'standard__recordPage',
      attributes: { recordId: 'a02000000000002AAA', actionName: 'view' },
    });
  });
});
