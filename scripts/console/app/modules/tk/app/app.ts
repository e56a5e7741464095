import { LightningElement } from 'lwc';
import { getStatus, onUnauthorized, subscribe } from 'tk/api';
import type { StatusView } from 'tk/contract';
import { LABELS } from 'tk/labels';
import { parseRoute, type Route } from 'tk/router';
import { headerView, isOlder, tabAfterKey, tabViews } from 'tk/shell';

/** The console's shell: header, the Setup | Sync History tabs, hash routing, and the one status subscription. */
export default class App extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  status: StatusView | null = null;
  route: Route = { page: 'setup' };
  unauthorized = false;
  unreachable = false;
  private stop: Array<() => void> = [];
  private focusTab: string | null = null;
  private readonly onHashChange = () => {
    this.route = parseRoute(window.location.hash);
  };

  connectedCallback(): void {
    this.route = parseRoute(window.location.hash);
    window.addEventListener('hashchange', this.onHashChange);
    this.stop.push(() => window.removeEventListener('hashchange', this.onHashChange));
    this.stop.push(
      onUnauthorized(() => {
        this.unauthorized = true;
      }),
    );
    this.stop.push(
      subscribe((status) => this.setStatus(status), {
        onConnectionProblem: (problem) => {
          this.unreachable = !!problem;
        },
      }),
    );
  }

  disconnectedCallback(): void {
    this.stop.forEach((fn) => fn());
    this.stop = [];
  }

  renderedCallback(): void {
    if (!this.focusTab) return;
    this.querySelector<HTMLElement>(`[data-id="${this.focusTab}"]`)?.focus();
    this.focusTab = null;
  }

  private setStatus(status: StatusView): void {
    this.unreachable = false;
    if (isOlder(status, this.status)) return;
    this.status = status;
  }

  get header() {
    return headerView(this.status);
  }

  get tabs() {
    return tabViews(this.route);
  }

  get activeTabId(): string {
    return this.tabs.find((t) => t.selected)?.tabId ?? '';
  }

  get isSetup(): boolean {
    return this.route.page === 'setup';
  }

  get isHistory(): boolean {
    return this.route.page === 'history';
  }

  get runId(): number | null {
    return this.route.page === 'run' ? this.route.runId : null;
  }

  get loading(): boolean {
    return !this.status;
  }

  handleTabKeydown(event: KeyboardEvent): void {
    const tabs = this.tabs;
    const index = tabs.findIndex((t) => t.selected);
    const next = tabAfterKey(event.key, index, tabs.length);
    if (next === null) return;
    event.preventDefault();
    this.focusTab = tabs[next].dataId;
    if (tabs[next].selected) {
      this.querySelector<HTMLElement>(`[data-id="${tabs[next].dataId}"]`)?.focus();
      this.focusTab = null;
    } else {
      window.location.hash = tabs[next].href;
      this.route = parseRoute(tabs[next].href);
    }
  }

  handleStatusChange(event: CustomEvent<StatusView>): void {
    if (event.detail) this.setStatus(event.detail);
  }

  handleRefresh(): void {
    getStatus().then(
      (status) => this.setStatus(status),
      () => undefined, // The subscription reports an unreachable server; a 401 shows the expired page.
    );
  }
}
