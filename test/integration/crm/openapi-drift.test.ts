/** The committed contract must equal the one the server generates (`npm run openapi`). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApiYaml, OPENAPI_PATH } from '../../../sandbox/crm/openapiDocument';

describe('docs/crm-sync-api.yaml', () => {
  it('is up to date with the server (run `npm run openapi` after changing routes)', async () => {
    const committed = readFileSync(resolve(__dirname, '../../..', OPENAPI_PATH), 'utf8');
    expect(committed).toBe(await generateOpenApiYaml());
  });

  it('hides the sandbox controls', async () => {
    expect(await generateOpenApiYaml()).not.toContain('/sandbox');
  });
});
