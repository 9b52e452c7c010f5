// hono/jsx keeps an AsyncLocalStorage so that useContext() reaches across awaits in async
// components. These pages use no JSX context, and on Node 20 that storage's first run() turns on
// async hooks for the whole process: from then on every promise of every request pays for them
// (measured side by side: a results CSV 101–102 µs of CPU per request, 121–123 µs once any page
// had been rendered). So on Node, hono/jsx's one-time probe for AsyncLocalStorage is run at start
// with the built-in module hidden: it then renders with its synchronous fallback, the same output.
import { jsx } from 'hono/jsx';

export function renderWithoutAsyncContext(): void {
  const host = process as { getBuiltinModule?: unknown };
  const getBuiltinModule = host.getBuiltinModule;
  host.getBuiltinModule = undefined;
  try {
    String(jsx('i', {}));
  } finally {
    host.getBuiltinModule = getBuiltinModule;
  }
}
