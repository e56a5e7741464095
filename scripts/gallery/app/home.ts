interface Catalog {
  components: Array<{ key: string; title: string }>;
  stateLabels: Record<string, string>;
  frames: Record<string, { label: string }>;
  pages: Array<{ c: string; s: string; w: string }>;
}

/** The gallery's index: every component, each state and width as a link. */
export async function renderHome(root: HTMLElement): Promise<void> {
  const catalog = (await (await fetch('/api/catalog')).json()) as Catalog;
  const main = document.createElement('main');
  main.className = 'gallery-home';
  const h1 = document.createElement('h1');
  h1.className = 'slds-text-heading_large slds-m-bottom_medium';
  h1.textContent = 'Tightknit components gallery';
  const intro = document.createElement('p');
  intro.className = 'slds-m-bottom_medium';
  intro.textContent =
    "The package's Lightning Web Components drawn with the open-source base components and SLDS, on the demo's data in the local org emulator. Each page is one component in one state, at the width of the column it sits in.";
  main.append(h1, intro);
  for (const component of catalog.components) {
    const h2 = document.createElement('h2');
    h2.className = 'slds-text-heading_medium slds-m-top_medium';
    h2.textContent = component.title;
    const list = document.createElement('ul');
    list.className = 'slds-list_dotted';
    for (const p of catalog.pages.filter((page) => page.c === component.key)) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `/page?c=${p.c}&s=${p.s}&w=${p.w}`;
      link.textContent = `${catalog.stateLabels[p.s]} (${catalog.frames[p.w].label})`;
      item.appendChild(link);
      list.appendChild(item);
    }
    main.append(h2, list);
  }
  root.replaceChildren(main);
}
