// Jest stand-in for lightning/navigation: records the last page reference a component navigated to,
// so tests can assert on NavigationMixin calls without a Lightning runtime.
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

let navigatedTo;
let navigatedReplace;

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      navigatedTo = pageReference;
      navigatedReplace = replace;
    }

    [GenerateUrl](pageReference) {
      const url = pageReference && pageReference.attributes && pageReference.attributes.url;
      return Promise.resolve(url || 'https://example.test/generated');
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** The page reference passed to the last [NavigationMixin.Navigate] call, or undefined. */
export const getNavigateCalledWith = () => navigatedTo;

/** The `replace` flag of the last navigation. */
export const getNavigateReplace = () => navigatedReplace;

/** Forget recorded navigation; call from afterEach. */
export const resetNavigation = () => {
  navigatedTo = undefined;
  navigatedReplace = undefined;
};
