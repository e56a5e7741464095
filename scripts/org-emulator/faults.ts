import { Faults } from './types';

/**
 * Decides, call by call, which injected faults hit. Shares are spread evenly rather than drawn at
 * random (a rate of 0.25 hits exactly every 4th call), so tests are deterministic.
 */
export class FaultPlan {
  private errorCredit = 0;
  private dropCredit = 0;
  private callsSinceExpiry = 0;

  /** What happens to the next API call. */
  nextCall(f: Faults): 'drop' | 'error' | 'ok' {
    this.dropCredit += f.dropConnectionRate;
    if (this.dropCredit >= 1 - 1e-9) {
      this.dropCredit -= 1;
      return 'drop';
    }
    this.errorCredit += f.serverErrorRate;
    if (this.errorCredit >= 1 - 1e-9) {
      this.errorCredit -= 1;
      return 'error';
    }
    return 'ok';
  }

  /** Counts an authenticated call; true when the access tokens must now expire. */
  countAuthenticated(f: Faults): boolean {
    if (!f.expireTokensAfterCalls) return false;
    this.callsSinceExpiry++;
    if (this.callsSinceExpiry < f.expireTokensAfterCalls) return false;
    this.callsSinceExpiry = 0;
    return true;
  }

  /** Restarts counting (after the faults change). */
  reset(): void {
    this.errorCredit = 0;
    this.dropCredit = 0;
    this.callsSinceExpiry = 0;
  }
}
