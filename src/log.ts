// Node's log: one JSON line per request (and per unexpected error), written by pino through an
// asynchronous destination. console.log on a pipe writes synchronously on Linux: measured from
// outside, that one line cost about half of a published ranking's serving rate.
import pino from 'pino';
import type { LogLine } from './http/app.js';

export function nodeLog(): (line: LogLine, level?: 'info' | 'error') => void {
  // Lines go out as soon as the previous write is done (minLength 0): batched under load, never held back.
  const destination = pino.destination({ sync: false, minLength: 0 });
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  // pino flushes at a normal exit; a signal ends the process without one, so flush, then exit as the signal would.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => { destination.flushSync(); process.exit(code); });
  }
  return (line, level = 'info') => logger[level](line);
}
