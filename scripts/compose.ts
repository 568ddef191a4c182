/**
 * `npm run compose`           writes gateway/supergraph.graphql and gateway/schema.graphql
 * `npm run compose -- --check` fails if composition reports errors or the files are stale (CI).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { API_SCHEMA, compose, CompositionError, readSupergraphConfig, SUPERGRAPH_SDL } from '../gateway/src/composition.js';

const check = process.argv.includes('--check');
try {
  const composed = compose(readSupergraphConfig());
  const outputs: Array<[string, string]> = [
    [SUPERGRAPH_SDL, composed.supergraphSdl],
    [API_SCHEMA, composed.apiSchema],
  ];
  let stale = false;
  for (const [path, content] of outputs) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === content) continue;
    if (check) {
      stale = true;
      console.error(`${relative(process.cwd(), path)} is stale: run \`npm run compose\` and commit it.`);
    } else {
      writeFileSync(path, content);
      console.log(`wrote ${relative(process.cwd(), path)}`);
    }
  }
  if (stale) process.exit(1);
  if (check) console.log('supergraph is composed and up to date');
} catch (error) {
  console.error(error instanceof CompositionError ? error.message : error);
  process.exit(1);
}
