/**
 * lightning/uiRecordApi for the gallery: only what the package calls. The gallery keeps no Lightning
 * Data Service cache, so telling it a record changed has nothing to refresh; the promise resolves as
 * the platform's does.
 */
export function notifyRecordUpdateAvailable(recordIds: Array<{ recordId: string }>): Promise<void> {
  if (!Array.isArray(recordIds))
    return Promise.reject(new TypeError('notifyRecordUpdateAvailable expects [{ recordId }].'));
  return Promise.resolve();
}
