#!/usr/bin/env node
// Resolves a name with an A query to one DNS server and prints the first address.
//   node resolve.mjs --dns-server IP[:PORT] NAME
import { parseArgs } from 'node:util';
import { makeLookup, resolveName } from './lookup.mjs';

const { values: opts, positionals } = parseArgs({
  options: { 'dns-server': { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error('usage: resolve.mjs --dns-server IP NAME');
  process.exit(2);
}
resolveName(makeLookup(opts['dns-server']), positionals[0]).then(
  (ip) => console.log(ip),
  (err) => {
    console.error(`resolve ${positionals[0]}: ${err.code ?? err.message}`);
    process.exit(1);
  },
);
