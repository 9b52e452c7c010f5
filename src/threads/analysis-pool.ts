// Heavy analyses (compute, uncertainty, what-if) off the event loop on Node: a request admitted by
// the budgets may still take a few hundred milliseconds of CPU, and run inline it would hold every
// other request, /health included. A small pool of worker threads runs them instead, with a
// bounded queue: past it, 503 busy with Retry-After rather than unbounded memory and waiting.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { errorOf, type AnalysisRunner, type AnalysisTask, type TaskFailure } from '../http/analyses.js';
import { ApiProblem } from '../http/problem.js';

export interface PoolOptions {
  /** threads; default one per core but one, left to the event loop (at least 1) */
  threads?: number;
  /** analyses waiting for a thread before the next is refused 503 */
  queue?: number;
  /** a task past this is stopped, its thread replaced (the budgets keep real ones far below) */
  timeoutMs?: number;
  /** threads kept ready: started with the pool, and again as soon as one exits (starting one loads the code, 0.5–3 s) */
  warm?: number;
  /** a thread idle this long exits and gives back the memory its analyses grew (a warm one is replaced by a fresh one) */
  idleMs?: number;
}

interface Job { id: number; task: AnalysisTask; resolve: (answer: never) => void; reject: (e: Error) => void }
interface Thread { worker: Worker; job: Job | null; timer?: NodeJS.Timeout; idle?: NodeJS.Timeout }
type Reply = { id: number; answer: never } | { id: number; failure: TaskFailure };

const THREAD_URL = new URL('./analysis-thread.mjs', import.meta.url);

export function analysisPool(options: PoolOptions = {}): { run: AnalysisRunner; close: () => Promise<void> } {
  const size = options.threads ?? Math.max(1, availableParallelism() - 1);
  const queueLimit = options.queue ?? 8;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const idleMs = options.idleMs ?? 10_000;
  const warm = Math.min(size, options.warm ?? 1);
  const threads: Thread[] = [];
  const waiting: Job[] = [];
  let nextId = 0;
  let closed = false;

  function start(): Thread {
    const thread: Thread = { worker: new Worker(THREAD_URL), job: null };
    thread.worker.on('message', (reply: Reply) => finish(thread, reply));
    // A thread that dies takes its job with it; the next job starts a fresh one.
    thread.worker.on('error', (e) => retire(thread, e));
    thread.worker.on('exit', (code) => retire(thread, new Error(`analysis thread exited with code ${code}`)));
    threads.push(thread);
    return thread;
  }

  function retire(thread: Thread, e: Error): void {
    const at = threads.indexOf(thread);
    if (at < 0) return;
    threads.splice(at, 1);
    clearTimeout(thread.timer);
    clearTimeout(thread.idle);
    thread.job?.reject(e);
    void thread.worker.terminate();
    if (!closed && threads.length < warm) start().worker.unref();
    pump();
  }

  function finish(thread: Thread, reply: Reply): void {
    const job = thread.job;
    if (!job || job.id !== reply.id) return;
    clearTimeout(thread.timer);
    thread.job = null;
    thread.worker.unref(); // an idle thread does not keep the process alive; a busy one does
    if ('failure' in reply) job.reject(errorOf(reply.failure));
    else job.resolve(reply.answer);
    pump();
    if (!thread.job) thread.idle = setTimeout(() => retire(thread, new Error('idle')), idleMs).unref();
  }

  function pump(): void {
    while (waiting.length) {
      const thread = threads.find((t) => !t.job) ?? (threads.length < size ? start() : undefined);
      if (!thread) return;
      const job = waiting.shift()!;
      clearTimeout(thread.idle);
      thread.worker.ref();
      thread.job = job;
      thread.timer = setTimeout(() => retire(thread, new Error(`analysis stopped after ${timeoutMs} ms`)), timeoutMs).unref();
      thread.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  const run: AnalysisRunner = (task) => new Promise((resolve, reject) => {
    const free = threads.some((t) => !t.job) || threads.length < size;
    if (!free && waiting.length >= queueLimit) {
      reject(new ApiProblem('busy', `Every analysis thread is busy and ${queueLimit} analyses are waiting; nothing was computed. Retry after the time in Retry-After.`, undefined, { 'retry-after': '1' }));
      return;
    }
    waiting.push({ id: nextId++, task, resolve: resolve as Job['resolve'], reject });
    pump();
  });

  for (let i = 0; i < warm; i++) start().worker.unref();
  const close = async () => { closed = true; await Promise.all(threads.splice(0).map((t) => t.worker.terminate())); };
  return { run, close };
}
