// Synthetic shadow first: the package's templates are styled by the page-wide SLDS stylesheet, as on the platform.
import '@lwc/synthetic-shadow';
import { createElement, type LightningElement } from 'lwc';
import AccountSummary from 'c/tightknitAccountCommunityActivitySummary';
import ActivityInfo from 'c/tightknitCommunityActivityInfo';
import CommunitySummary from 'c/tightknitCommunityActivitySummary';
import CommunityProfile from 'c/tightknitCommunityProfile';
import ContactLog from 'c/tightknitContactMemberActivityLog';
import MemberLog from 'c/tightknitMemberActivityLog';
import StudioButton from 'c/tightknitViewInStudioButton';
import LinkContact from 'c/tightknitLinkContact';
import SetupWizard from 'c/tightknitSetupWizard';
import HealthCheck from 'c/tightknitHealthCheck';
import { renderHome } from './home';
import { renderFrame, type SceneView } from './frame';

const BUNDLES: Record<string, typeof LightningElement> = {
  tightknitAccountCommunityActivitySummary: AccountSummary,
  tightknitCommunityActivityInfo: ActivityInfo,
  tightknitCommunityActivitySummary: CommunitySummary,
  tightknitCommunityProfile: CommunityProfile,
  tightknitContactMemberActivityLog: ContactLog,
  tightknitMemberActivityLog: MemberLog,
  tightknitViewInStudioButton: StudioButton,
  tightknitLinkContact: LinkContact,
  tightknitSetupWizard: SetupWizard,
  tightknitHealthCheck: HealthCheck,
};

/** `tightknitAccountCommunityActivitySummary` → `c-tightknit-account-community-activity-summary`. */
const tagOf = (bundle: string): string => `c-${bundle.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;

async function showScene(search: string): Promise<void> {
  const res = await fetch(`/api/scene${search}`);
  const body = (await res.json()) as SceneView & { message?: string };
  if (!res.ok) {
    document.body.textContent = body.message ?? `The gallery server answered ${res.status}.`;
    return;
  }
  const Ctor = BUNDLES[body.component.bundle];
  const element = createElement(tagOf(body.component.bundle), { is: Ctor }) as unknown as HTMLElement &
    Record<string, unknown>;
  if (body.recordId) {
    element.recordId = body.recordId;
    element.objectApiName = body.objectApiName;
  }
  if (body.component.frame !== 'app' && body.component.frame !== 'action')
    element.flexipageRegionWidth = body.regionWidth;
  renderFrame(document.body, body, element);
}

const search = window.location.search;
const shown = new URLSearchParams(search).has('c') ? showScene(search) : renderHome(document.body);
shown.catch((e: unknown) => {
  document.body.textContent = `The gallery page failed: ${e instanceof Error ? e.message : String(e)}`;
});
