// Scheduler workers: durable timers fired exactly once by any number of processes (decision 0006).
export {
  runWorker,
  type WorkerOptions,
  type WorkerBatch,
  type WorkerStats,
} from './timerWorker.ts';
export { runWorkerProcess } from './workerProcess.ts';
export { dispatchDueBatch, dispatchMembersBatch } from '../care/batchDispatch.ts';
export {
  defaultMissedWindowPolicy,
  missedWindowVerdict,
  type MissedWindowPolicy,
  type MissedWindowVerdict,
} from '../care/schedulerPolicy.ts';
export type { DueTimer, TimerHandler, TimerOutcome } from '../care/schedulerTimers.ts';
