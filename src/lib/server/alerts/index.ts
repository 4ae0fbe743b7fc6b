/**
 * Breach alerts: the evaluator, the team lead's queue, notifications and the scheduler.
 *
 *   import * as alerts from '$lib/server/alerts/index.ts';
 *   await alerts.evaluate(db, { now });
 *   const queue = await alerts.list(db, viewer, filters);
 */
export { evaluate, type EvaluationOptions, type EvaluationSummary } from './evaluate.ts';
export { acknowledge, addNote, alertIdSchema, alertIdsSchema, assign, countOpen, list, parseFilters, signature, NOTE_MAX, NO_FILTERS, QUEUE_PAGE_SIZE, QUEUE_SORTS, returnQuery, type ActionResult, type Queue, type QueueFilters, type QueueItem, type QueueSort } from './queue.ts';
export { afterImport, runOnce, start, stop, trigger, EVALUATE_EVERY_MS } from './schedule.ts';
export * as notify from './notify.ts';
