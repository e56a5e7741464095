import { LightningElement } from 'lwc';

export default class App extends LightningElement {
  static renderMode = 'light' as const;
  title = 'Tightknit Sync';
}
