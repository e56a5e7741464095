import { MAX_UPLOAD_BYTES } from '../../salesforce/csv';
import { pushTuning, SERIAL_JOB_ROWS } from '../context';

describe('pushTuning (the Bulk file size of a push)', () => {
  it('cuts files at SERIAL_JOB_ROWS when a Bulk hook runs the jobs one after another', () => {
    const serial = pushTuning(undefined, true);
    expect(serial.maxJobRows).toBe(SERIAL_JOB_ROWS);
    expect(SERIAL_JOB_ROWS).toBeLessThan(200_000);
    // The byte ceiling stays Salesforce's: at 100,000 rows an activity file is about 21 MB.
    expect(serial.maxJobBytes).toBe(pushTuning(undefined, false).maxJobBytes);
  });

  it('keeps whole 100 MB files without a hook (jobs side by side)', () => {
    const sideBySide = pushTuning(undefined, false);
    expect(sideBySide.maxJobRows).toBeGreaterThan(1_000_000);
    expect(sideBySide.maxJobBytes).toBeGreaterThan(MAX_UPLOAD_BYTES - 100 * 1024);
  });

  it("lets the caller's own settings win over either default", () => {
    expect(pushTuning({ maxJobRows: 7 }, true).maxJobRows).toBe(7);
    expect(pushTuning({ pageSize: 50 }, true)).toMatchObject({ pageSize: 50, maxJobRows: SERIAL_JOB_ROWS });
  });
});
