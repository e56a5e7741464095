import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLwc } from '../../../scratch/build';
import { convertSource, copyProject, listFiles, payloadProblems } from '../payload';

const LWC = 'force-app/main/default/lwc';

// The deploy payload is what `sf project deploy` and packaging send: proves the build runs before it,
// that the compiled .js (gitignored, next to each .ts) is what deploys, and that .forceignore keeps
// TypeScript, tests, tsconfig and the ECA global OAuth settings out.
describe('LWC deploy payload', () => {
  let project: string;
  let out: string;

  beforeAll(() => {
    buildLwc();
    project = copyProject();
    // Decoys: files that exist on developers' machines but must never deploy.
    mkdirSync(join(project, 'force-app/main/default/extlClntAppGlobalOauthSets'), { recursive: true });
    writeFileSync(
      join(
        project,
        'force-app/main/default/extlClntAppGlobalOauthSets/Tightknit_Salesforce_glbloauth.ecaGlblOauth-meta.xml',
      ),
      '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata"><consumerSecret>secret</consumerSecret></ExtlClntAppGlobalOauthSettings>\n',
    );
    mkdirSync(join(project, LWC), { recursive: true });
    writeFileSync(join(project, LWC, 'tsconfig.json'), '{}\n');
    out = convertSource(project);
  }, 180_000);

  it('converts the package source to Metadata API format', () => {
    expect(listFiles(out)).toContain('package.xml');
  });

  it('has every bundle with its compiled JavaScript, template and meta file, and nothing else', () => {
    expect(payloadProblems(join(project, LWC), out)).toEqual([]);
  });

  it('finds the problems it is meant to find', () => {
    // Same check against a payload dir with a stray .ts and a missing .js: proves the check can fail.
    const fake = join(project, 'fake-out');
    const bundles = listFiles(join(project, LWC)).filter((f) => f.endsWith('.js-meta.xml'));
    const bundle = bundles[0]?.split('/')[0] ?? 'probe';
    mkdirSync(join(fake, 'lwc', bundle), { recursive: true });
    writeFileSync(join(fake, 'lwc', bundle, `${bundle}.ts`), 'export {};\n');
    writeFileSync(join(fake, 'lwc', bundle, `${bundle}.js-meta.xml`), '<x/>\n');
    writeFileSync(join(fake, 'lwc', bundle, 'removedHelper.js'), 'export {};\n');
    const problems = payloadProblems(join(project, LWC), fake);
    expect(problems).toContainEqual(`lwc/${bundle}/${bundle}.ts must not deploy (.forceignore should exclude it)`);
    expect(problems).toContainEqual(
      `lwc/${bundle}/removedHelper.js has no removedHelper.ts: a stale build output; delete it`,
    );
    if (bundles.length) {
      expect(problems).toContainEqual(
        `lwc/${bundle}/${bundle}.js is missing from the deploy payload (run npm run build)`,
      );
    }
  });
});
