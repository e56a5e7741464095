import { LightningElement, api } from 'lwc';
import type { SourceView } from 'tk/contract';
import { sourceLine } from './sourceStatusModel';

/** One line: the community source's state and lag (up to date, events waiting, first import, error with its fix). */
export default class SourceStatus extends LightningElement {
  static renderMode = 'light' as const;
  @api source: SourceView | null = null;
  /** Shows the line (and the fix) also when no source is connected. */
  @api showNone = false;

  get line() {
    return sourceLine(this.source);
  }

  get visible(): boolean {
    return this.line.tone !== 'none' || this.showNone;
  }
}
