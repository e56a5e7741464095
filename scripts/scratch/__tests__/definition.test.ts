import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataSchema } from '../../checks/metadata/schema';
import { REPO_ROOT } from '../../metadata/project';
import { checkScratchDefinition } from '../definition';

const DEFINITION = join(REPO_ROOT, 'config', 'project-scratch-def.json');

describe('config/project-scratch-def.json', () => {
  const schema = new MetadataSchema();

  it('is a Developer edition whose settings all exist in the Metadata API', () => {
    expect(checkScratchDefinition(DEFINITION, schema)).toEqual([]);
  });

  it('reports unknown settings types and fields and wrong value kinds', () => {
    const definition = JSON.parse(readFileSync(DEFINITION, 'utf8')) as Record<string, unknown>;
    definition.edition = 'Enterprise';
    definition.settings = {
      externalClientAppSettings: { enableExternalClientApps: true },
      lightningExperienceSettings: { enableS1DesktopEnabled: 'yes' },
      widgetPreferences: { on: true },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'tk-def-')), 'def.json');
    writeFileSync(file, JSON.stringify(definition));
    expect(checkScratchDefinition(file, schema)).toEqual([
      'edition is Enterprise; the package is built on Developer',
      expect.stringMatching(
        /^settings\.externalClientAppSettings\.enableExternalClientApps: ExternalClientAppSettings has no field enableExternalClientApps; allowed: .*enablePackageEcaOauthFromDevOrg/,
      ),
      'settings.lightningExperienceSettings.enableS1DesktopEnabled must be true or false',
      'settings.widgetPreferences: no Metadata API settings type WidgetPreferences',
    ]);
  });
});
