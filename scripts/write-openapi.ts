/** `npm run openapi`: writes docs/crm-sync-api.yaml from the reference CRM server's routes. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApiYaml, OPENAPI_PATH } from '../sandbox/crm/openapiDocument';

async function main(): Promise<void> {
  const target = resolve(__dirname, '..', OPENAPI_PATH);
  writeFileSync(target, await generateOpenApiYaml());
  console.log(`wrote ${OPENAPI_PATH}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
