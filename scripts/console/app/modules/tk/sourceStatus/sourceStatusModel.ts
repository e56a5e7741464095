/** The community source's one-line state for the header and Setup: what it says, its tone, and the fix. */
import type { SourceView } from 'tk/contract';
import { formatDateTime, formatSeconds } from 'tk/format';
import { LABELS, fill } from 'tk/labels';

type SourceTone = 'none' | 'success' | 'info' | 'warning' | 'error';

export interface SourceLine {
  tone: SourceTone;
  text: string;
  /** What to do about an error (its actions, in order), else ''. */
  fix: string;
  icon: string;
  iconVariant: string;
  toneText: string;
}

const L = LABELS.source.status;

const ICONS: Record<SourceTone, { icon: string; colour: string; text: string }> = {
  none: { icon: 'info', colour: 'slds-icon-text-default', text: LABELS.common.info },
  success: { icon: 'success', colour: 'slds-icon-text-success', text: LABELS.common.success },
  info: { icon: 'sync', colour: 'slds-icon-text-default', text: LABELS.common.info },
  warning: { icon: 'clock', colour: 'slds-icon-text-warning', text: LABELS.common.warning },
  error: { icon: 'error', colour: 'slds-icon-text-error', text: LABELS.common.error },
};

/** Polling reads each run: a read more than this long ago says when, instead of "up to date". */
const POLL_FRESH_SECONDS = 60;

function make(tone: SourceTone, text: string, fix = ''): SourceLine {
  const i = ICONS[tone];
  return { tone, text, fix, icon: i.icon, iconVariant: `slds-icon slds-icon_x-small ${i.colour}`, toneText: i.text };
}

/** Error first, then the first import, events waiting, events on with no receiver, the last poll, up to date. */
export function sourceLine(source: SourceView | null | undefined): SourceLine {
  const workspace = source?.slack?.teamName;
  if (!source || !workspace) return make('none', L.none);
  if (source.lastError)
    return make(
      'error',
      fill(L.error, { workspace, message: source.lastError.message }),
      source.lastError.actions.join(' '),
    );
  if (!source.firstImportDone) {
    return make('info', fill(L.firstImport, { workspace }));
  }
  const lag = formatSeconds(source.lagSeconds ?? 0);
  if (source.pendingEvents > 0) {
    const template = source.pendingEvents === 1 ? L.behindOne : L.behind;
    return make('warning', fill(template, { workspace, count: source.pendingEvents.toLocaleString('en-US'), lag }));
  }
  if (source.events !== 'off' && source.receiver.state !== 'receiving') {
    const text =
      source.receiver.state === 'silent'
        ? fill(L.silentReceiver, {
            workspace,
            where: source.receiver.address ?? '',
            when: formatDateTime(source.receiver.seenAt),
            lag,
          })
        : fill(L.noReceiver, { workspace, lag });
    return make('warning', text, L.receiverFix[source.events] ?? '');
  }
  if (source.events === 'off' && (source.lagSeconds ?? 0) > POLL_FRESH_SECONDS) {
    return make('success', fill(L.polled, { workspace, lag }));
  }
  return make('success', fill(L.upToDate, { workspace }));
}
