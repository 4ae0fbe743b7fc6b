/**
 * The default standards catalogue: one entry per published standard in docs/rules.md "The published standards", as data.
 * The database seeds its first standard versions from this; admins then edit (effective-dated)
 * copies. Wording is the seed document's, lightly trimmed.
 */
import type { CalendarCode } from './calendar.ts';
import type { ClockEvents } from './events.ts';
import type { DeadlineRule } from './rules.ts';

export type OrganisationCode = 'borough' | 'county';
export type ServiceCode = 'electoral' | 'democratic' | 'customer';

export const CONTACT_TYPES = [
	'phone',
	'callback',
	'message',
	'email',
	'letter',
	'complaint',
	'info',
	'sar',
	'foi',
	'registration',
	'absent-vote',
	'enquiry',
	'governance',
	'meeting',
	'dp-complaint'
] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

export const STANDARD_CODES = [
	'phone.answer',
	'phone.callback',
	'phone.message',
	'email.reply',
	'letter.reply',
	'complaint.ack',
	'info.dispatch',
	'sar.published',
	'sar.statutory',
	'dp.complaint-ack',
	'foi.response',
	'es.email',
	'es.registration',
	'es.absent-vote',
	'ds.enquiry',
	'ds.governance',
	'ds.minutes',
	'ds.agenda'
] as const;
export type StandardCode = (typeof STANDARD_CODES)[number];

/**
 * - received: the clock starts when the contact arrives; any later clock start is not used.
 * - clock-start: it starts when everything needed has arrived (the contact's clock start), else at receipt.
 * - meeting-date: the contact's received date is the meeting date.
 */
export type ClockStartRule = 'received' | 'clock-start' | 'meeting-date';

export interface StandardScope {
	organisation: OrganisationCode;
	/** Services of that organisation the standard applies to; null means all of them. */
	services: readonly ServiceCode[] | null;
}

export interface StandardDefinition {
	code: StandardCode;
	title: string;
	/** The promise as the source document words it. */
	wording: string;
	/** The document (or statute) the promise comes from. */
	source: string;
	appliesTo: readonly StandardScope[];
	contactTypes: readonly ContactType[];
	rule: DeadlineRule;
	calendar: CalendarCode;
	/** Whether the organisation's closure days stop this clock (never for statutory limits: ICO LTT47). */
	closuresApply: boolean;
	statutory: boolean;
	/** Share of contacts that must meet the standard, in percent. */
	targetPercent: number;
	/** Share of the allowed time after which an open contact is shown as at risk. */
	atRiskShare: number;
	clockStart: ClockStartRule;
	/** Whether a clarification or ID received restarts the clock (FOIA s.1(3); UK GDPR / DPA 2018 s.54). */
	restartable: boolean;
	clockStartsWhen: string;
	clockStopsWhen: string;
	/** The clock events this standard allows (a later start, a restart, a pause, an extension), each with its source. */
	events: ClockEvents;
	/** The first day the promise exists (a statutory duty's commencement); none: it has always applied. */
	effectiveFrom?: string;
}

const COUNTY_STANDARDS = 'County council Customer Service Standards';
const ELECTORAL_STANDARDS = 'Customer Service Standards – Electoral Services (borough council)';
const DEMOCRATIC_STANDARDS = 'Customer Service Standards – Democratic Services (borough council)';
const COUNTY_ALL: StandardScope = { organisation: 'county', services: null };
const BOTH_ALL: readonly StandardScope[] = [COUNTY_ALL, { organisation: 'borough', services: null }];
const ELECTORAL: readonly StandardScope[] = [{ organisation: 'borough', services: ['electoral'] }];
const DEMOCRATIC: readonly StandardScope[] = [{ organisation: 'borough', services: ['democratic'] }];

/** What most council (non-statutory) standards share. */
const councilPromise = {
	calendar: 'england-wales',
	closuresApply: true,
	statutory: false,
	targetPercent: 90,
	atRiskShare: 0.75,
	clockStart: 'received',
	restartable: false,
	events: {}
} as const;

/** Information complete (all required information, a valid request): the clock starts then. */
const informationComplete = (what: string, source: string) => ({ start: { label: what, source } });
const MEETING_DATE = { start: { label: 'the meeting date', source: 'the meeting is the event the deadline counts from' } } as const;

export const STANDARDS: readonly StandardDefinition[] = [
	{
		...councilPromise,
		code: 'phone.answer',
		title: 'Telephone calls answered',
		wording: 'Answer the telephone within 5 rings (20 seconds).',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL],
		contactTypes: ['phone'],
		rule: { kind: 'seconds', seconds: 20 },
		targetPercent: 80, // the contact-centre convention, 80% in 20 s
		clockStartsWhen: 'Call offered to the queue',
		clockStopsWhen: 'Call answered'
	},
	{
		...councilPromise,
		code: 'phone.callback',
		title: 'Phone calls returned',
		wording: 'Return your phone calls on the same day, or if this is not possible the next working day.',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL],
		contactTypes: ['callback'],
		rule: { kind: 'same-or-next-working-day' },
		clockStartsWhen: 'Callback requested',
		clockStopsWhen: 'Call returned'
	},
	{
		...councilPromise,
		code: 'phone.message',
		title: 'Telephone messages answered',
		wording: 'Respond to telephone messages within one working day.',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL],
		contactTypes: ['message'],
		rule: { kind: 'working-days', days: 1 },
		clockStartsWhen: 'Message left',
		clockStopsWhen: 'Responded'
	},
	{
		...councilPromise,
		code: 'email.reply',
		title: 'E-mails answered',
		wording: 'Provide a response to your e-mail within 3 working days.',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL, { organisation: 'borough', services: ['customer'] }],
		contactTypes: ['email'],
		rule: { kind: 'working-days', days: 3 },
		clockStartsWhen: 'E-mail received',
		clockStopsWhen: 'First substantive reply'
	},
	{
		...councilPromise,
		code: 'letter.reply',
		title: 'Letters answered',
		wording: 'Provide a response to your letter within 10 working days.',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL],
		contactTypes: ['letter'],
		rule: { kind: 'working-days', days: 10 },
		clockStartsWhen: 'Letter received',
		clockStopsWhen: 'Reply sent'
	},
	{
		...councilPromise,
		code: 'complaint.ack',
		title: 'Complaints acknowledged',
		wording: 'Acknowledge all complaints within 3 working days.',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL],
		contactTypes: ['complaint'],
		rule: { kind: 'working-days', days: 3 },
		targetPercent: 95,
		clockStartsWhen: 'Complaint received',
		clockStopsWhen: 'Complaint acknowledged'
	},
	{
		...councilPromise,
		code: 'info.dispatch',
		title: 'Information sent after an enquiry',
		wording: 'If we need to send you information following an enquiry we will ensure that it is sent out within 24 hours or the next working day.',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL],
		contactTypes: ['info'],
		rule: { kind: 'hours-or-next-working-day', hours: 24 },
		clockStartsWhen: 'Enquiry closed with information owed',
		clockStopsWhen: 'Information sent'
	},
	{
		...councilPromise,
		code: 'sar.published',
		title: 'Subject access requests (published promise)',
		wording:
			'If you ask for access to your personal information, as defined by the Data Protection Act 1998, we will respond within 40 days.',
		source: COUNTY_STANDARDS,
		appliesTo: [COUNTY_ALL],
		contactTypes: ['sar'],
		rule: { kind: 'calendar-days', days: 40 }, // docs/rules.md "Rules settled…": end of receipt date + 40, not moved
		closuresApply: false,
		targetPercent: 100, // a promise about a legal right
		clockStart: 'clock-start',
		events: informationComplete('valid request received (after ID, if needed)', COUNTY_STANDARDS),
		clockStartsWhen: 'Valid request received (after ID, if needed)',
		clockStopsWhen: 'Response sent'
	},
	{
		...councilPromise,
		code: 'sar.statutory',
		title: 'Subject access requests (UK GDPR)',
		wording:
			'Respond without undue delay and in any event within one month of receipt of the request; extendable by two further months where necessary (UK GDPR Art. 12(3)).',
		source: 'UK GDPR Article 12(3); ICO guidance on the right of access',
		appliesTo: BOTH_ALL,
		contactTypes: ['sar'],
		rule: { kind: 'calendar-months', months: 1, extendedMonths: 3 },
		closuresApply: false,
		statutory: true,
		targetPercent: 100,
		restartable: true,
		events: {
			restart: {
				label: 'ID verified, or a fee paid where one may be charged: the month starts afresh',
				source: 'UK GDPR Art. 12A (Data (Use and Access) Act 2025 s.76, in force 5 February 2026, SI 2026/82); before it, DPA 2018 s.54 and the ICO right of access guidance'
			},
			pause: {
				reason: 'clarification',
				label: 'clarification of what is asked for, from the day it is asked for to the day the answer arrives (both days counted)',
				source:
					'Requests received from 5 February 2026: UK GDPR Art. 12A (inserted by the Data (Use and Access) Act 2025 s.76; SI 2026/82), the time the controller waits for information it reasonably needs to identify what is asked for does not count. ' +
					'Received before then: the ICO right of access guidance of October 2020 (in force until Art. 12A), which said the clock is paused while clarification is awaited; its January 2020 version had briefly said it was not. ' +
					'Both pause, so the count is the same on either side of the date; only the authority differs.',
				since: [
					{ from: '2026-02-05', authority: 'UK GDPR Art. 12A (Data (Use and Access) Act 2025; SI 2026/82)' },
					{ from: null, authority: 'the ICO right of access guidance (October 2020), before Art. 12A came into force' }
				]
			},
			extension: { label: 'extended to three months from the start (complex or numerous requests)', source: 'UK GDPR Art. 12(3); ICO right of access guidance' }
		},
		clockStartsWhen: 'Request received (starts again when ID, or a fee where allowed, is received; clarification pauses it)',
		clockStopsWhen: 'Response sent'
	},
	{
		...councilPromise,
		code: 'dp.complaint-ack',
		title: 'Data protection complaints acknowledged',
		wording:
			'Acknowledge a complaint about the processing of personal data within 30 days of receiving it (Data Protection Act 2018 s.164A).',
		source: 'Data Protection Act 2018 s.164A (inserted by the Data (Use and Access) Act 2025; in force 19 June 2026, SI 2026/82 reg 3)',
		appliesTo: BOTH_ALL,
		contactTypes: ['dp-complaint'],
		rule: { kind: 'calendar-days', days: 30 },
		closuresApply: false,
		statutory: true,
		targetPercent: 100,
		effectiveFrom: '2026-06-19',
		clockStartsWhen: 'Data protection complaint received',
		clockStopsWhen: 'Complaint acknowledged'
	},
	{
		...councilPromise,
		code: 'foi.response',
		title: 'Freedom of Information requests',
		wording: 'If you request information under the Freedom of Information Act 2000, we will respond within 20 working days.',
		source: 'Freedom of Information Act 2000, s.10; County council Customer Service Standards',
		appliesTo: BOTH_ALL,
		contactTypes: ['foi'],
		rule: { kind: 'working-days', days: 20, extensionDays: 20 }, // s.10(3) public interest: ICO practice up to 20 more
		calendar: 'foia-uk',
		closuresApply: false,
		statutory: true,
		targetPercent: 100,
		restartable: true,
		events: {
			restart: { label: 'clarification received: the 20 working days start afresh', source: 'FOIA s.1(3) and s.10(6); ICO guidance on time limits' },
			pause: {
				reason: 'fee-notice',
				label: 'fee notice to payment (both days disregarded)',
				source: 'FOIA s.10(2)',
				lapse: { months: 3, source: 'FOIA s.9(2): a fee notice unpaid within three months of the day it is given ends the duty to comply' }
			},
			extension: { label: 'public interest extension (up to 20 more working days)', source: 'FOIA s.10(3); ICO guidance: no more than 20 further working days' }
		},
		clockStartsWhen: 'Request received (restarts when clarification is received; fee-notice days disregarded)',
		clockStopsWhen: 'Response sent'
	},
	{
		...councilPromise,
		code: 'es.email',
		title: 'Electoral Services e-mails answered',
		wording: 'Contact us by email: we will respond as soon as possible and try to answer your enquiry in full, within 4 working days.',
		source: ELECTORAL_STANDARDS,
		appliesTo: ELECTORAL,
		contactTypes: ['email'],
		rule: { kind: 'working-days', days: 4 },
		clockStartsWhen: 'E-mail received',
		clockStopsWhen: 'First substantive reply'
	},
	{
		...councilPromise,
		code: 'es.registration',
		title: 'Voter registration and voter ID confirmed',
		wording:
			'Register to vote / apply for free voter ID: we will process your application promptly and dispatch confirmation within 5 working days (if all required information received).',
		source: ELECTORAL_STANDARDS,
		appliesTo: ELECTORAL,
		contactTypes: ['registration'],
		rule: { kind: 'working-days', days: 5 },
		targetPercent: 95,
		clockStart: 'clock-start',
		events: informationComplete('all required information received', ELECTORAL_STANDARDS),
		clockStartsWhen: 'All required information received',
		clockStopsWhen: 'Confirmation dispatched'
	},
	{
		...councilPromise,
		code: 'es.absent-vote',
		title: 'Postal and proxy vote applications confirmed',
		wording:
			'Apply to vote by post / proxy: we will process your application promptly and dispatch confirmation within 5 working days (if all required information received).',
		source: ELECTORAL_STANDARDS,
		appliesTo: ELECTORAL,
		contactTypes: ['absent-vote'],
		rule: { kind: 'working-days', days: 5 },
		targetPercent: 95,
		clockStart: 'clock-start',
		events: informationComplete('all required information received', ELECTORAL_STANDARDS),
		clockStartsWhen: 'All required information received',
		clockStopsWhen: 'Confirmation dispatched'
	},
	{
		...councilPromise,
		code: 'ds.enquiry',
		title: 'Resident enquiries to Democratic Services',
		wording:
			'Respond to enquiries in a way which encourages democratic engagement and participation in Council decision making, within 3 working days.',
		source: DEMOCRATIC_STANDARDS,
		appliesTo: DEMOCRATIC,
		contactTypes: ['enquiry'],
		rule: { kind: 'working-days', days: 3 },
		clockStartsWhen: 'Enquiry received',
		clockStopsWhen: 'Responded'
	},
	{
		...councilPromise,
		code: 'ds.governance',
		title: 'Governance and procedural advice to councillors',
		wording:
			'Provide impartial, non-political advice with a clear strategic direction in line with statutory requirements and best practice, within 3 working days.',
		source: DEMOCRATIC_STANDARDS,
		appliesTo: DEMOCRATIC,
		contactTypes: ['governance'],
		rule: { kind: 'working-days', days: 3 },
		clockStartsWhen: 'Advice requested',
		clockStopsWhen: 'Advice given'
	},
	{
		...councilPromise,
		code: 'ds.minutes',
		title: 'Minutes produced',
		wording: 'We will produce minutes in a reasonable timeframe: within 13 working days of the meeting.',
		source: DEMOCRATIC_STANDARDS,
		appliesTo: DEMOCRATIC,
		contactTypes: ['meeting'],
		rule: { kind: 'working-days', days: 13 },
		targetPercent: 95,
		clockStart: 'meeting-date',
		events: MEETING_DATE,
		clockStartsWhen: 'Meeting date',
		clockStopsWhen: 'Minutes published'
	},
	{
		...councilPromise,
		code: 'ds.agenda',
		title: 'Agendas published on time',
		wording:
			'100% compliance with statutory publication requirements: agenda published at least 5 clear working days before the meeting (Local Government Act 1972 s.100B).',
		source: `${DEMOCRATIC_STANDARDS}; Local Government Act 1972 s.100B`,
		appliesTo: DEMOCRATIC,
		contactTypes: ['meeting'],
		rule: { kind: 'clear-working-days-before', days: 5 },
		closuresApply: false, // a statutory minimum: closure days do not shorten or lengthen it
		statutory: true,
		targetPercent: 100,
		clockStart: 'meeting-date',
		events: MEETING_DATE,
		clockStartsWhen: 'Meeting date (the deadline falls before it)',
		clockStopsWhen: 'Agenda published'
	}
];

const byCode = new Map<string, StandardDefinition>(STANDARDS.map((s) => [s.code, s]));

export function getStandardDefinition(code: string): StandardDefinition | undefined {
	return byCode.get(code);
}

/** Does a standard apply to a contact of this organisation, service and type? */
export function appliesTo(standard: StandardDefinition, organisation: string, service: string, contactType: string): boolean {
	if (!(standard.contactTypes as readonly string[]).includes(contactType)) return false;
	return standard.appliesTo.some(
		(scope) => scope.organisation === organisation && (scope.services === null || (scope.services as readonly string[]).includes(service))
	);
}

/** Every standard a contact is scored against (a SAR: sar.published and sar.statutory). */
export function standardsFor(organisation: string, service: string, contactType: string, catalogue: readonly StandardDefinition[] = STANDARDS): StandardDefinition[] {
	return catalogue.filter((s) => appliesTo(s, organisation, service, contactType));
}
