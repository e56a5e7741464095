/** The shell's logic: which setup step is current, the header line, the tabs. */
import type { StatusView } from 'tk/contract';
import { LABELS, fill } from 'tk/labels';
import { HISTORY_HREF, SETUP_HREF, type Route } from 'tk/router';
import { ICON_ON_LIGHT, ICON_ON_THEME } from 'tk/runs';

export type StepId = 'connect' | 'source' | 'configure' | 'backfill';
export type StepState = 'complete' | 'current' | 'upcoming';
const STEPS: StepId[] = ['connect', 'source', 'configure', 'backfill'];

/**
 * True when `next` was built before the status the page shows (same server process): an answer to a request
 * that arrived after a newer server-sent status. Showing it would bring back what has already changed.
 */
export function isOlder(next: StatusView, shown: StatusView | null): boolean {
  return !!shown && next.revision.server === shown.revision.server && next.revision.seq < shown.revision.seq;
}

/** True once a sync was started: backfilled, running, or a scheduler that is not stopped. */
export function syncStarted(status: StatusView): boolean {
  return status.backfilled || status.activity !== null || status.scheduler.state !== 'stopped';
}

/**
 * No connection → Connect; connected but never started → Configure; started or backfilled → Backfill.
 * Community source is optional (members can come from exports): complete once a workspace is
 * connected, never the current step.
 */
export function currentStep(status: StatusView): StepId {
  if (!status.connection) return 'connect';
  return syncStarted(status) ? 'backfill' : 'configure';
}

export function stepStates(status: StatusView): Record<StepId, StepState> {
  const current = STEPS.indexOf(currentStep(status));
  const out = {} as Record<StepId, StepState>;
  STEPS.forEach((id, i) => {
    out[id] = i < current ? 'complete' : i === current ? 'current' : 'upcoming';
  });
  out.source = status.source?.slack ? 'complete' : 'upcoming';
  // A finished backfill completes the last step too (the schedule carries on from there).
  if (current === STEPS.indexOf('backfill') && status.backfilled && status.activity?.runType !== 'backfill') {
    out.backfill = 'complete';
  }
  return out;
}

const STEP_CLASS: Record<StepState, string> = {
  complete: 'slds-path__item slds-is-complete',
  current: 'slds-path__item slds-is-current slds-is-active',
  upcoming: 'slds-path__item slds-is-incomplete',
};

export function stepViews(status: StatusView) {
  const states = stepStates(status);
  const S = LABELS.steps;
  return STEPS.map((id, i) => ({
    id,
    dataId: `step-${id}`,
    number: i + 1,
    label: S[id],
    state: states[id],
    className: STEP_CLASS[states[id]],
    stateText:
      states[id] === 'complete'
        ? S.complete
        : states[id] === 'current'
          ? S.current
          : id === 'source'
            ? S.optional
            : S.upcoming,
    ariaCurrent: states[id] === 'current' ? 'step' : null,
    complete: states[id] === 'complete',
  }));
}

const BADGE: Record<string, { className: string; iconVariant: string }> = {
  running: { className: 'slds-badge slds-theme_success', iconVariant: ICON_ON_THEME },
  waiting: { className: 'slds-badge slds-theme_success', iconVariant: ICON_ON_THEME },
  starting: { className: 'slds-badge slds-badge_lightest', iconVariant: ICON_ON_LIGHT },
  paused: { className: 'slds-badge slds-theme_warning', iconVariant: ICON_ON_LIGHT },
  stopped: { className: 'slds-badge slds-badge_lightest', iconVariant: ICON_ON_LIGHT },
};

export function headerView(status: StatusView | null) {
  const A = LABELS.app;
  if (!status) return { orgText: '', badgeText: '', badgeClass: '', badgeIcon: '', badgeIconVariant: '' };
  const c = status.connection;
  const orgText = !c
    ? A.notConnected
    : c.username
      ? fill(A.connectedAs, { org: c.instanceUrl, user: c.username })
      : fill(A.connectedTo, { org: c.instanceUrl });
  const state = status.scheduler.state;
  return {
    orgText,
    badgeText: fill(A.schedulerBadge, { state: LABELS.progress.states[state] ?? state }),
    badgeClass: BADGE[state]?.className ?? 'slds-badge',
    badgeIconVariant: BADGE[state]?.iconVariant ?? ICON_ON_LIGHT,
    badgeIcon: state === 'paused' ? 'pause' : state === 'stopped' ? 'stop' : 'sync',
  };
}

export type TabId = 'setup' | 'history';

export function activeTab(route: Route): TabId {
  return route.page === 'setup' ? 'setup' : 'history';
}

export function tabViews(route: Route) {
  const active = activeTab(route);
  return [
    { id: 'setup' as TabId, label: LABELS.app.tabSetup, href: SETUP_HREF },
    { id: 'history' as TabId, label: LABELS.app.tabHistory, href: HISTORY_HREF },
  ].map((t) => ({
    ...t,
    dataId: `tab-${t.id}`,
    tabId: `tk-tab-${t.id}`,
    selected: t.id === active,
    ariaSelected: t.id === active ? 'true' : 'false',
    tabIndex: t.id === active ? '0' : '-1',
    itemClass: t.id === active ? 'slds-tabs_default__item slds-is-active' : 'slds-tabs_default__item',
  }));
}

/** Arrow keys move along the tabs and wrap; Home and End jump to the ends. null for other keys. */
export function tabAfterKey(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return (index + 1) % count;
    case 'ArrowLeft':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
