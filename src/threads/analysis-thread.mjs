// The pool's thread entry. A worker thread does not inherit the loader `tsx` gave the main thread,
// so it registers one before loading the TypeScript code.
import { register } from 'tsx/esm/api';

register();
await import('./analysis-thread.ts');
