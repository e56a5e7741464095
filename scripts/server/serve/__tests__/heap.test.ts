import { getHeapStatistics } from 'node:v8';
import { useWorkerMemory } from '../heap';

describe('TIGHTKNIT_WORKER_MEMORY (the heap mode of serve and worker)', () => {
  it("keeps V8's defaults when set to 'default'", () => {
    expect(useWorkerMemory({ TIGHTKNIT_WORKER_MEMORY: 'default' })).toBe('default');
  });

  it("refuses anything but 'small' or 'default', naming both", () => {
    expect(() => useWorkerMemory({ TIGHTKNIT_WORKER_MEMORY: 'tiny' })).toThrow(
      "TIGHTKNIT_WORKER_MEMORY must be 'small' (the default: V8's memory-saving mode) or 'default' (V8's defaults: faster, more memory), not 'tiny'.",
    );
  });

  it("is 'small' when unset or empty, and the process goes on allocating", () => {
    expect(useWorkerMemory({})).toBe('small');
    expect(useWorkerMemory({ TIGHTKNIT_WORKER_MEMORY: ' ' })).toBe('small');
    const pages = Array.from({ length: 50 }, (_, i) => Array.from({ length: 1000 }, (__, j) => ({ id: `${i}-${j}` })));
    expect(pages.flat()).toHaveLength(50_000);
    expect(getHeapStatistics().used_heap_size).toBeGreaterThan(0);
  });
});
