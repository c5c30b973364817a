// Runs after `tsc`: writes beside the compiled program what its commands would otherwise compute
// at every start, from the same sources. dist/config/schema.json holds the configuration's
// defaults, key descriptions and value rules read out of the schema (no zod to load or check a
// configuration), with the fingerprint of the compiled schema they came from; dist/workflows/builtin.json the built-in workflows already
// parsed, each with its text (no YAML parser unless a workflow file differs from them).
import { writeFile } from 'node:fs/promises';

const { schemaFacts } = await import('../dist/config/schema.js');
const { BUILT_SCHEMA_URL, schemaFingerprint } = await import('../dist/config/built-schema.js');
const { parseForBuild } = await import('../dist/workflows/load-workflows.js');
const { BUILT_WORKFLOWS_URL } = await import('../dist/workflows/built-workflows.js');

const builtSchema = { fingerprint: schemaFingerprint(), facts: schemaFacts() };
await writeFile(BUILT_SCHEMA_URL, `${JSON.stringify(builtSchema)}\n`);
await writeFile(BUILT_WORKFLOWS_URL, `${JSON.stringify(await parseForBuild())}\n`);
