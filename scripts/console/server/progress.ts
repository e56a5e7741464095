import type { PushProgress } from '../../sync';
import type { ObjectName, ObjectProgressView } from '../contract';

const OBJECTS: ObjectName[] = ['community', 'member', 'activity'];

interface Seen {
  view: ObjectProgressView;
  /** When this object's current phase started, and how far it was then (rate over the phase). */
  phaseStartedAt: number;
}

/**
 * Turns the push's progress callbacks into per-object bars with a rate and an ETA. The rate is
 * measured over the current phase (uploading, processing, results each count records afresh).
 */
export class ProgressTracker {
  private readonly seen = new Map<ObjectName, Seen>();

  constructor(private readonly clock: () => number = Date.now) {}

  reset(): void {
    this.seen.clear();
  }

  update(p: PushProgress): void {
    const now = this.clock();
    const before = this.seen.get(p.object);
    const newPhase = !before || before.view.phase !== p.phase;
    const phaseStartedAt = newPhase ? now : before.phaseStartedAt;
    const secs = (now - phaseStartedAt) / 1000;
    const rate = p.phase !== 'done' && secs >= 0.5 && p.processed > 0 ? p.processed / secs : null;
    const left = Math.max(0, p.total - p.processed);
    this.seen.set(p.object, {
      phaseStartedAt,
      view: {
        object: p.object,
        phase: p.phase,
        processed: p.processed,
        total: p.total,
        ratePerSecond: rate === null ? null : Math.round(rate),
        etaSeconds: p.phase === 'done' ? 0 : rate ? Math.ceil(left / rate) : null,
      },
    });
  }

  views(): ObjectProgressView[] {
    return OBJECTS.map(
      (object) =>
        this.seen.get(object)?.view ?? {
          object,
          phase: 'waiting',
          processed: 0,
          total: 0,
          ratePerSecond: null,
          etaSeconds: null,
        },
    );
  }
}
