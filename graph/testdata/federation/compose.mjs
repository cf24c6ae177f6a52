// Composes Databank's SDL (the file named by the first argument) with the
// stand-in LocalEGA subgraph through @apollo/composition, without a
// gateway. Prints {"ok": true} and exits 0, or {"errors": [...]} and
// exits 1 when composition fails.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { typeDefs } from './localega.mjs';

const databank = parse(readFileSync(process.argv[2], 'utf8'));
const result = composeServices([
  { name: 'databank', url: 'http://databank/graphql', typeDefs: databank },
  { name: 'localega', url: 'http://localega/graphql', typeDefs },
]);
if (result.errors) {
  console.log(JSON.stringify({ errors: result.errors.map((e) => ({ code: e.extensions?.code, message: e.message })) }));
  process.exit(1);
}
console.log(JSON.stringify({ ok: true }));
