/**
 * Assessments: the engine's verdict on every contact against every standard that applies to it,
 * stored one row per contact × standard version so pages aggregate in SQL (docs/architecture.md "Data flow").
 *
 *   import * as assessments from '$lib/server/assessments/index.ts';
 *   await assessments.scoreAll(db, { onProgress });
 */
export { scoreAll, scoreContacts, scoreStored, emptySummary, addSummary, scoredFrom, unscored, UnscoredTally, type Unscored, loadContactRecord, rescore, affectedContacts, progressLines, describeSummary, type JobOptions, type JobSummary, type Progress, type RescoreOptions } from './job.ts';
export { loadPlan, loadOrganisationCalendars, versionRules, type ScoringPlan } from './plan.ts';
export { assessContact, contactFacts, type ContactRecord, type VersionVerdict } from './score.ts';
