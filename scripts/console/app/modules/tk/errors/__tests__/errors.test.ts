import { ApiRequestError, fieldErrors, reduceError } from 'tk/errors';

describe('tk/errors', () => {
  it('keeps an ApiRequestError as the server sent it', () => {
    const err = new ApiRequestError(409, { code: 'CHECKS_FAILED', message: 'A check failed.', actions: ['Fix it.'] });
    expect(reduceError(err)).toEqual({
      code: 'CHECKS_FAILED',
      message: 'A check failed.',
      actions: ['Fix it.'],
      fields: [],
    });
  });

  it('accepts a raw ApiError body', () => {
    expect(reduceError({ error: { code: 'X', message: 'm' } })).toEqual({ code: 'X', message: 'm', actions: [] });
  });

  it('explains a network failure with what to do', () => {
    const info = reduceError(new TypeError('Failed to fetch'));
    expect(info.code).toBe('NETWORK');
    expect(info.message).toContain('Failed to fetch');
    expect(info.actions[0]).toContain('tightknit-sync console');
  });

  it('keys field errors by path, joining two reasons for one field', () => {
    const err = new ApiRequestError(400, {
      code: 'INVALID',
      message: 'Invalid.',
      actions: [],
      fields: [
        { field: 'intervalMinutes', reason: 'Too big.' },
        { field: 'intervalMinutes', reason: 'Not whole.' },
        { field: 'engagement.weights.other', reason: 'Negative.' },
      ],
    });
    expect(fieldErrors(err)).toEqual({
      intervalMinutes: 'Too big. Not whole.',
      'engagement.weights.other': 'Negative.',
    });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
