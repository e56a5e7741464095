/** A scene as the gallery server describes it (scripts/gallery/scenes.ts). */
export interface SceneView {
  component: { key: string; bundle: string; title: string; object: string; frame: string };
  state: string;
  frame: string;
  recordId: string;
  objectApiName: string;
  recordName: string;
  regionWidth: string;
  width: number;
}

const OBJECT_LABELS: Record<string, { label: string; icon: string }> = {
  Account: { label: 'Account', icon: 'account' },
  Contact: { label: 'Contact', icon: 'contact' },
  tightknit__Member__c: { label: 'Community Member', icon: 'avatar' },
  tightknit__Activity__c: { label: 'Community Activity', icon: 'feed' },
  tightknit__Community__c: { label: 'Tightknit Community', icon: 'groups' },
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(name: string): HTMLElement {
  const wrap = el('span', `slds-icon_container slds-icon-standard-${name}`);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'slds-icon slds-icon_small');
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', `/assets/icons/standard-sprite/svg/symbols.svg#${name}`);
  svg.appendChild(use);
  wrap.appendChild(svg);
  return wrap;
}

/** The record page's highlights header: object icon, object label and the record's name. */
function recordHeader(scene: SceneView): HTMLElement {
  const object = OBJECT_LABELS[scene.objectApiName] ?? { label: scene.objectApiName, icon: 'record' };
  const header = el('div', 'slds-page-header slds-page-header_record-home');
  const row = el('div', 'slds-media slds-media_center');
  const figure = el('div', 'slds-media__figure');
  figure.appendChild(icon(object.icon));
  const body = el('div', 'slds-media__body slds-truncate');
  body.appendChild(el('p', 'slds-text-body_small', object.label));
  const title = el('h1', 'slds-page-header__title slds-truncate', scene.recordName || '(no record)');
  title.title = scene.recordName;
  body.appendChild(title);
  row.append(figure, body);
  header.appendChild(row);
  return header;
}

function appHeader(scene: SceneView): HTMLElement {
  const header = el('div', 'slds-page-header');
  header.appendChild(
    el(
      'h1',
      'slds-page-header__title',
      scene.component.key === 'health-check' ? 'Tightknit Health Check' : 'Tightknit Setup',
    ),
  );
  return header;
}

/** What the page would do on the platform (toasts, navigation, closing the action), shown under the frame. */
function noteArea(): HTMLElement {
  const notes = el('div', 'gallery-note slds-text-body_small');
  notes.setAttribute('role', 'status');
  notes.dataset.id = 'platform-events';
  const say = (text: string): void => {
    notes.appendChild(el('p', '', text));
  };
  document.addEventListener('lightning__showtoast', (e) => {
    const d = (e as CustomEvent<{ title?: string; message?: string; variant?: string }>).detail;
    say(`Toast (${d.variant ?? 'info'}): ${d.title ?? ''}${d.message ? ` — ${d.message}` : ''}`);
  });
  document.addEventListener('lightning__actionsclosescreen', () => say('The quick action closed its dialog.'));
  window.addEventListener('gallery__navigate', (e) => say(`Navigates to ${JSON.stringify((e as CustomEvent).detail)}`));
  return notes;
}

/** Draws the frame of a record page (or app page, or quick-action dialog) around the component. */
export function renderFrame(root: HTMLElement, scene: SceneView, component: HTMLElement): void {
  document.title = `${scene.component.title} — ${scene.state} — Tightknit gallery`;
  const page = el('main', 'gallery-page');
  const frame = el('div', `gallery-frame gallery-frame_${scene.frame}`);
  frame.dataset.id = 'frame';
  frame.style.width = `${scene.width}px`;
  frame.appendChild(scene.component.object ? recordHeader(scene) : appHeader(scene));
  const column = el('div', 'gallery-column');
  column.dataset.id = 'column';
  column.appendChild(component);
  frame.appendChild(column);
  page.append(frame, noteArea());
  root.replaceChildren(page);
}
