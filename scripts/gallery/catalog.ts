/**
 * What the gallery shows: each component of the package a person sees on a record page (or in the Setup
 * app), the page it sits on, and the states it is drawn in.
 */

/** A state of a component: which record it is given, and what its Apex answers. */
export type StateName =
  'data' | 'empty' | 'never-active' | 'no-access' | 'error' | 'loading' | 'long-names' | 'intl-names' | 'large';

/**
 * Where the component is placed: a Lightning record page's main column or sidebar (the "Header and Right
 * Sidebar" template), a phone, a quick-action dialog, or a full-width app page.
 */
export type FrameName = 'main' | 'sidebar' | 'phone' | 'action' | 'app';

/** Width in CSS pixels and the `flexipageRegionWidth` the platform passes for each frame. */
export const FRAMES: Record<FrameName, { width: number; regionWidth: string; label: string }> = {
  main: { width: 792, regionWidth: 'MEDIUM', label: 'record page, main column' },
  sidebar: { width: 396, regionWidth: 'SMALL', label: 'record page, sidebar' },
  phone: { width: 360, regionWidth: 'SMALL', label: 'phone' },
  action: { width: 640, regionWidth: 'MEDIUM', label: 'quick action dialog' },
  app: { width: 1160, regionWidth: 'LARGE', label: 'app page' },
};

export const STATE_LABELS: Record<StateName, string> = {
  data: 'with data',
  empty: 'empty',
  'never-active': 'member never active',
  'no-access': 'no access',
  error: 'error',
  loading: 'loading',
  'long-names': 'long names',
  'intl-names': 'right-to-left and CJK names',
  large: '10,000 activities on one Account',
};

/** The object whose record page holds the component ('' for an app page). */
export type PageObject = 'Account' | 'Contact' | 'Member__c' | 'Activity__c' | 'Community__c' | '';

export interface GalleryComponent {
  /** Short name used in URLs and screenshot file names. */
  key: string;
  /** The LWC bundle in force-app/main/default/lwc. */
  bundle: string;
  title: string;
  object: PageObject;
  frame: FrameName;
  states: StateName[];
}

const PERSON_STATES: StateName[] = [
  'data',
  'empty',
  'never-active',
  'no-access',
  'error',
  'loading',
  'long-names',
  'intl-names',
];

export const COMPONENTS: GalleryComponent[] = [
  {
    key: 'account-summary',
    bundle: 'tightknitAccountCommunityActivitySummary',
    title: 'Account Community Activity Summary',
    object: 'Account',
    frame: 'main',
    states: ['data', 'empty', 'no-access', 'error', 'loading', 'long-names', 'intl-names', 'large'],
  },
  {
    key: 'activity-info',
    bundle: 'tightknitCommunityActivityInfo',
    title: 'Community Activity Info',
    object: 'Activity__c',
    frame: 'sidebar',
    states: ['data', 'empty', 'no-access', 'error', 'loading', 'long-names', 'intl-names'],
  },
  {
    key: 'community-summary',
    bundle: 'tightknitCommunityActivitySummary',
    title: 'Community Activity Summary',
    object: 'Community__c',
    frame: 'main',
    states: ['data', 'empty', 'no-access', 'error', 'loading', 'long-names', 'intl-names'],
  },
  {
    key: 'community-profile',
    bundle: 'tightknitCommunityProfile',
    title: 'Community Profile',
    object: 'Contact',
    frame: 'sidebar',
    states: PERSON_STATES,
  },
  {
    key: 'contact-activity-log',
    bundle: 'tightknitContactMemberActivityLog',
    title: 'Contact Member Activity Log',
    object: 'Contact',
    frame: 'main',
    states: [...PERSON_STATES, 'large'],
  },
  {
    key: 'member-activity-log',
    bundle: 'tightknitMemberActivityLog',
    title: 'Member Activity Log',
    object: 'Member__c',
    frame: 'main',
    states: ['data', 'never-active', 'no-access', 'error', 'loading', 'long-names', 'intl-names', 'large'],
  },
  {
    key: 'view-in-tightknit',
    bundle: 'tightknitViewInStudioButton',
    title: 'View in Tightknit',
    object: 'Member__c',
    frame: 'sidebar',
    states: ['data', 'empty', 'no-access', 'error', 'loading', 'long-names', 'intl-names'],
  },
  {
    key: 'link-contact',
    bundle: 'tightknitLinkContact',
    title: 'Link to Contact (quick action)',
    object: 'Member__c',
    frame: 'action',
    states: ['data', 'no-access', 'error', 'loading', 'long-names', 'intl-names'],
  },
  {
    key: 'setup-wizard',
    bundle: 'tightknitSetupWizard',
    title: 'Tightknit Setup wizard',
    object: '',
    frame: 'app',
    states: ['data', 'empty', 'no-access', 'loading'],
  },
  {
    key: 'health-check',
    bundle: 'tightknitHealthCheck',
    title: 'Health Check',
    object: '',
    frame: 'app',
    states: ['data', 'empty', 'no-access', 'loading'],
  },
];

/** The component with this key, or undefined. */
export function findComponent(key: string): GalleryComponent | undefined {
  return COMPONENTS.find((c) => c.key === key);
}
