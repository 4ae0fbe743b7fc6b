/**
 * Ingest: reading a council's contact log, telephony queue log or Amazon Connect export into
 * contacts, and its electoral data files into the canvass and register tables, losing nothing
 * (the formats are docs/interfaces.md "The generic contact log" and "Electoral data files").
 *
 *   import * as ingest from '$lib/server/ingest/index.ts';
 *   const result = await ingest.importFile(db, path, { kind: 'contacts', actor, onProgress });
 *   ingest.rejectionsCsv(db, result.batchId).pipe(response);
 */
export { importFile, importRecords, ImportError, MAX_ERRORS, type ImportOptions, type ImportProgress, type ImportResult } from './pipeline.ts';
export { preview, PREVIEW_LIMITS, type Preview } from './preview.ts';
export { detectKind, importKinds, isElectoralKind, type ImportKind } from './formats.ts';
export { failAbandoned, get as getBatch, recent as recentBatches, rejections, rejectionsCsv, type Batch, type Counts, type SkippedReasons, countsOf } from './batches.ts';
export { describeRejection, type Rejection } from './rows.ts';
export { queueMapOf, type QueueMap, type QueuePlacement } from './queues.ts';
export { SourceError } from './sources.ts';
export { contactLogColumns } from './contact-log.ts';
