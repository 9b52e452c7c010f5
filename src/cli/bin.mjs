#!/usr/bin/env node
// The par-index command (package.json "bin"): registers tsx, then runs the TypeScript entry.
// The exit code is set, not forced, so that stdout and stderr are flushed before Node exits.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
