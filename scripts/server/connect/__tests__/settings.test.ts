import { UsageError } from '../../../sync/errors';
import { connectSettingsFromEnv } from '../settings';

const code = (env: NodeJS.ProcessEnv): string => {
  try {
    connectSettingsFromEnv(env);
  } catch (err) {
    if (err instanceof UsageError) return err.code;
    throw err;
  }
  return 'ok';
};

describe('connect settings from the environment', () => {
  it('builds the redirect URLs from the public origin and offers only the apps that are configured', () => {
    const s = connectSettingsFromEnv({
      TIGHTKNIT_PUBLIC_URL: 'https://sync.example.com/some/path',
      TIGHTKNIT_SLACK_CLIENT_ID: '123.456',
      TIGHTKNIT_SLACK_CLIENT_SECRET: 'cs',
      TIGHTKNIT_SLACK_SIGNING_SECRET: 'ss',
      TIGHTKNIT_CLIENT_ID: '3MVG9key',
    });
    expect(s).toEqual({
      publicUrl: 'https://sync.example.com',
      slack: { clientId: '123.456', clientSecret: 'cs', signingSecret: 'ss', apiUrl: 'https://slack.com/api/' },
      salesforce: { clientId: '3MVG9key', callbackUrl: 'https://sync.example.com/connect/salesforce/callback' },
    });
    expect(connectSettingsFromEnv({ TIGHTKNIT_PUBLIC_URL: 'http://127.0.0.1:8080' })).toEqual({
      publicUrl: 'http://127.0.0.1:8080',
      slack: undefined,
      salesforce: undefined,
    });
  });

  it('names what is missing or wrong', () => {
    expect(code({})).toBe('PUBLIC_URL_MISSING');
    expect(code({ TIGHTKNIT_PUBLIC_URL: 'sync.example.com' })).toBe('PUBLIC_URL_INVALID');
    expect(code({ TIGHTKNIT_PUBLIC_URL: 'https://s.example', TIGHTKNIT_SLACK_CLIENT_ID: '1.2' })).toBe(
      'SLACK_APP_INCOMPLETE',
    );
  });
});
