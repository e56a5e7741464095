// The package's components, bundled from force-app by rollup; the shell only creates them by constructor.
declare module 'c/*' {
  const Component: typeof import('lwc').LightningElement;
  export default Component;
}
declare module '@lwc/synthetic-shadow';
