// One analysis thread of the Node pool (analysis-pool.ts): runs engine tasks as they come, one at a
// time, and answers each with its result or its failure as data.
import { parentPort } from 'node:worker_threads';
import { failureOf, runAnalysis, type AnalysisTask } from '../http/analyses.js';

parentPort!.on('message', ({ id, task }: { id: number; task: AnalysisTask }) => {
  try {
    parentPort!.postMessage({ id, answer: runAnalysis(task) });
  } catch (e) {
    parentPort!.postMessage({ id, failure: failureOf(e) });
  }
});
