import { getCalendar } from '../../engine/calendar.ts';
import {
	MS_PER_DAY,
	fromEpochDay,
	isoWeekday,
	localEpochDay,
	startOfLocalDayMs,
	toEpochDay
} from '../../engine/dates.ts';
import type { ContactType } from '../db/schema/contacts.ts';
import { personName } from './names.ts';
import { Random } from './random.ts';
import { christmasClosures, demand, pressure, type Season } from './seasons.ts';

/** A generated contact, keyed by codes; the loader turns codes into ids. */
export interface DemoContact {
	organisation: string;
	service: string;
	team: string;
	contactType: ContactType;
	source: string;
	externalRef: string;
	requester: string | null;
	subject: string | null;
	receivedAt: Date;
	clockStartAt: Date | null;
	firstResponseAt: Date | null;
	resolvedAt: Date | null;
	waitSeconds: number | null;
	abandoned: boolean | null;
	extended: boolean;
	status: 'open' | 'responded' | 'closed';
	events: DemoContactEvent[];
	/** Casework only: whether the generator answered it within its promise (the demo's survey answers follow it). */
	met?: boolean;
}

export interface DemoContactEvent {
	kind: 'pause' | 'restart' | 'extension';
	at: Date;
	until: Date | null;
	detail: Record<string, unknown>;
}

/** How quickly a stream's contacts are answered, in working days after the clock starts. */
interface Turnaround {
	/** The promise: the last working day that still counts as met (0 = same day). */
	limit: number;
	/** >1 answers early in the allowed time (email), <1 late (FOI). */
	shape: number;
	/** Share met before seasonal pressure, per team. */
	metRate: (team: string, season: Season) => number;
}

interface Stream {
	organisation: string;
	service: string;
	type: ContactType;
	source: string;
	prefix: string;
	teams: readonly (readonly [code: string, share: number])[];
	/** Contacts on an ordinary working day and on a weekend or bank holiday. */
	workingDayRate: number;
	closedDayRate: number;
	/** Which seasonal demand pattern drives volume. */
	demand: 'steady' | 'registration' | 'absent-vote' | 'electoral-email';
	turnaround: Turnaround | 'phone';
	subjects?: readonly string[];
	anonymous?: boolean;
}

const steady = (rate: number) => () => rate;

/** County correspondence is the team that is visibly struggling, worst in the winter of 2025/26. */
const correspondenceMetRate = (season: Season) =>
	season.date >= '2025-10-01' && season.date < '2026-04-01' ? 0.7 : season.date >= '2026-04-01' ? 0.83 : 0.8;

const streams: readonly Stream[] = [
	{
		organisation: 'county', service: 'customer', type: 'phone', source: 'telephony', prefix: 'CALL',
		teams: [['cc-contact-centre', 1]], workingDayRate: 115, closedDayRate: 0, demand: 'steady',
		turnaround: 'phone', anonymous: true
	},
	{
		organisation: 'county', service: 'customer', type: 'callback', source: 'crm', prefix: 'CB',
		teams: [['cc-contact-centre', 1]], workingDayRate: 12, closedDayRate: 0, demand: 'steady',
		turnaround: { limit: 1, shape: 2.5, metRate: steady(0.94) },
		subjects: ['Call back about a school place', 'Call back about a blue badge', 'Call back about road defects']
	},
	{
		organisation: 'county', service: 'customer', type: 'message', source: 'crm', prefix: 'MSG',
		teams: [['cc-contact-centre', 1]], workingDayRate: 9, closedDayRate: 2, demand: 'steady',
		turnaround: { limit: 1, shape: 1.5, metRate: steady(0.92) },
		subjects: ['Voicemail: bus pass', 'Voicemail: adult social care', 'Voicemail: library fines']
	},
	{
		organisation: 'county', service: 'customer', type: 'email', source: 'crm', prefix: 'EM',
		teams: [['cc-contact-centre', 0.6], ['cc-correspondence', 0.4]], workingDayRate: 55, closedDayRate: 12,
		demand: 'steady',
		turnaround: {
			limit: 3, shape: 1.6,
			metRate: (team, season) => (team === 'cc-correspondence' ? correspondenceMetRate(season) : 0.95)
		},
		subjects: ['Pothole on my road', 'School transport', 'Bus pass renewal', 'Waste site opening times', 'Care assessment']
	},
	{
		organisation: 'county', service: 'customer', type: 'letter', source: 'crm', prefix: 'LET',
		teams: [['cc-correspondence', 1]], workingDayRate: 7, closedDayRate: 0, demand: 'steady',
		turnaround: { limit: 10, shape: 1.1, metRate: (_, season) => correspondenceMetRate(season) + 0.05 },
		subjects: ['Letter about highways', 'Letter about council tax precept', 'Letter about a care home']
	},
	{
		organisation: 'county', service: 'customer', type: 'complaint', source: 'crm', prefix: 'CMP',
		teams: [['cc-complaints', 1]], workingDayRate: 3, closedDayRate: 0.5, demand: 'steady',
		turnaround: { limit: 3, shape: 1.4, metRate: steady(0.95) },
		subjects: ['Complaint: missed bin collection', 'Complaint: staff conduct', 'Complaint: delay in assessment']
	},
	{
		organisation: 'county', service: 'customer', type: 'info', source: 'crm', prefix: 'INF',
		teams: [['cc-contact-centre', 1]], workingDayRate: 8, closedDayRate: 0, demand: 'steady',
		turnaround: { limit: 1, shape: 2, metRate: steady(0.93) },
		subjects: ['Send bus timetable', 'Send recycling guide', 'Send school admissions booklet']
	},
	{
		organisation: 'county', service: 'customer', type: 'sar', source: 'casework', prefix: 'SAR',
		teams: [['cc-information', 1]], workingDayRate: 0.6, closedDayRate: 0.1, demand: 'steady',
		turnaround: { limit: 20, shape: 0.6, metRate: steady(0.88) }, subjects: ['Subject access request']
	},
	{
		organisation: 'county', service: 'customer', type: 'foi', source: 'casework', prefix: 'FOI',
		teams: [['cc-information', 1]], workingDayRate: 4, closedDayRate: 0.6, demand: 'steady',
		turnaround: { limit: 20, shape: 0.55, metRate: steady(0.9) },
		subjects: ['FOI: highways spend', 'FOI: agency staff costs', 'FOI: children in care placements', 'FOI: pothole claims']
	},
	{
		organisation: 'borough', service: 'customer', type: 'email', source: 'crm', prefix: 'BEM',
		teams: [['csc-enquiries', 1]], workingDayRate: 25, closedDayRate: 6, demand: 'steady',
		turnaround: { limit: 3, shape: 1.5, metRate: steady(0.93) },
		subjects: ['Council tax bill', 'Bulky waste collection', 'Parking permit', 'Housing benefit']
	},
	{
		organisation: 'borough', service: 'democratic', type: 'foi', source: 'casework', prefix: 'BFOI',
		teams: [['ds-information', 1]], workingDayRate: 2, closedDayRate: 0.3, demand: 'steady',
		turnaround: { limit: 20, shape: 0.6, metRate: steady(0.93) },
		subjects: ['FOI: councillor allowances', 'FOI: planning enforcement', 'FOI: housing waiting list']
	},
	{
		organisation: 'borough', service: 'democratic', type: 'sar', source: 'casework', prefix: 'BSAR',
		teams: [['ds-information', 1]], workingDayRate: 0.25, closedDayRate: 0.05, demand: 'steady',
		turnaround: { limit: 20, shape: 0.7, metRate: steady(0.92) }, subjects: ['Subject access request']
	},
	{
		organisation: 'borough', service: 'democratic', type: 'enquiry', source: 'crm', prefix: 'DSE',
		teams: [['ds-committees', 1]], workingDayRate: 3, closedDayRate: 0.5, demand: 'steady',
		turnaround: { limit: 3, shape: 1.3, metRate: steady(0.94) },
		subjects: ['Speaking at Planning Committee', 'Petition to council', 'Who is my councillor?']
	},
	{
		organisation: 'borough', service: 'democratic', type: 'governance', source: 'crm', prefix: 'DSG',
		teams: [['ds-committees', 1]], workingDayRate: 2, closedDayRate: 0, demand: 'steady',
		turnaround: { limit: 3, shape: 1.3, metRate: steady(0.95) },
		subjects: ['Declaration of interests advice', 'Call-in procedure', 'Motion deadline']
	},
	{
		organisation: 'borough', service: 'electoral', type: 'email', source: 'ems', prefix: 'ESE',
		teams: [['es-registration', 0.8], ['es-absent-voting', 0.2]], workingDayRate: 15, closedDayRate: 4,
		demand: 'electoral-email',
		turnaround: { limit: 4, shape: 1.4, metRate: steady(0.95) },
		subjects: ['Am I registered to vote?', 'Household enquiry form', 'Polling station location', 'Voter ID']
	},
	{
		organisation: 'borough', service: 'electoral', type: 'registration', source: 'ems', prefix: 'REG',
		teams: [['es-registration', 1]], workingDayRate: 16, closedDayRate: 9, demand: 'registration',
		turnaround: { limit: 5, shape: 1.2, metRate: steady(0.96) },
		subjects: ['Application to register', 'Voter Authority Certificate']
	},
	{
		organisation: 'borough', service: 'electoral', type: 'absent-vote', source: 'ems', prefix: 'AV',
		teams: [['es-absent-voting', 1]], workingDayRate: 5, closedDayRate: 2, demand: 'absent-vote',
		turnaround: { limit: 5, shape: 1.2, metRate: steady(0.96) },
		subjects: ['Postal vote application', 'Proxy vote application']
	}
];

export interface ContactGeneration {
	seed: string;
	/** First local date (a financial year start) and the instant the data runs up to. */
	from: string;
	asOf: Date;
	/** Total contacts wanted from the streams (default: their natural volume). */
	total?: number;
}

/**
 * Generates the demo case log day by day, stream by stream. Each stream has its own random
 * source so the same seed gives the same rows whatever else changes in other streams.
 */
export function* generateContacts(options: ContactGeneration): Generator<DemoContact> {
	// The offices close between Christmas and New Year: no calls, and no replies, on those days.
	const calendar = getCalendar('england-wales', { closures: christmasClosures(options.from, options.asOf) });
	const firstDay = toEpochDay(options.from);
	const asOfMs = options.asOf.getTime();
	const lastDay = localEpochDay(asOfMs);
	const days = lastDay - firstDay + 1;

	// Volumes first, so a requested total can be hit exactly: expected demand per stream per day
	// with day-to-day noise, scaled, then whole contacts allotted by cumulative rounding.
	const volumes = streams.map((stream) => {
		const random = new Random(`${options.seed}:volume:${stream.prefix}`);
		const weights = new Float64Array(days);
		for (let i = 0; i < days; i++) {
			const date = fromEpochDay(firstDay + i);
			const open = calendar.isWorkingDay(date);
			const base = open ? stream.workingDayRate * weekdayFactor(firstDay + i) : stream.closedDayRate;
			weights[i] = base * demand(stream.demand, date) * random.logNormal(1, 0.18);
		}
		return weights;
	});
	const natural = volumes.reduce((sum, weights) => sum + weights.reduce((a, b) => a + b, 0), 0);
	const scale = options.total === undefined ? 1 : options.total / natural;
	let carried = 0;
	let allotted = 0;

	const randoms = streams.map((stream) => new Random(`${options.seed}:contacts:${stream.prefix}`));
	const sequence = streams.map(() => 0);
	for (let i = 0; i < days; i++) {
		const epochDay = firstDay + i;
		const date = fromEpochDay(epochDay);
		for (let s = 0; s < streams.length; s++) {
			const stream = streams[s]!;
			const phone = stream.turnaround === 'phone';
			const season = { date, pressure: pressure(date, phone ? 'phone' : stream.demand) + (phone ? staffing(options.seed, epochDay) : 0) };
			carried += volumes[s]![i]! * scale;
			let count = Math.floor(carried) - allotted;
			if (options.total !== undefined && i === days - 1 && s === streams.length - 1) {
				count = options.total - allotted; // floating-point remainder lands on the last stream
			}
			allotted += count;
			const random = randoms[s]!;
			for (let n = 0; n < count; n++) {
				let receivedMs = arrival(random, stream, epochDay, calendar.isWorkingDay(date));
				// The demo's last day is cut off at asOf: its later arrivals come earlier instead.
				if (receivedMs > asOfMs) receivedMs = asOfMs - random.int(60, 4 * 3600) * 1000;
				sequence[s]!++;
				yield stream.turnaround === 'phone'
					? phoneCall(random, stream, receivedMs, sequence[s]!, season)
					: casework(random, stream, stream.turnaround, receivedMs, sequence[s]!, season, asOfMs, calendar);
			}
		}
	}
}

const weeklyStaffing = new Map<string, number>();

/**
 * The contact centre's staffing against plan, week by week (sickness, vacancies, training): a
 * little short on average, with some bad weeks. Added to the phone queue's pressure.
 */
function staffing(seed: string, epochDay: number): number {
	const week = `${seed}:${Math.floor((epochDay + 3) / 7)}`; // Monday-based weeks
	let shortfall = weeklyStaffing.get(week);
	if (shortfall === undefined) {
		shortfall = Math.max(-0.06, new Random(`${week}:staffing`).normal(0.08, 0.08));
		weeklyStaffing.set(week, shortfall);
	}
	return shortfall;
}

/** Mondays are busiest, Fridays quietest (a contact centre's usual week). */
function weekdayFactor(epochDay: number): number {
	return [1.3, 1.05, 1, 0.95, 0.8, 1, 1][isoWeekday(epochDay) - 1]!;
}

// Half-hour arrival profile of the contact centre, 08:30 to 17:00: a morning peak and a smaller
// one after lunch.
const phoneSlots = [0.6, 1.3, 1.5, 1.4, 1.3, 1.2, 1.0, 0.9, 1.0, 1.2, 1.15, 1.05, 1.0, 0.9, 0.8, 0.7, 0.5];
const meanSlot = phoneSlots.reduce((a, b) => a + b, 0) / phoneSlots.length;

function arrival(random: Random, stream: Stream, epochDay: number, workingDay: boolean): number {
	const midnight = startOfLocalDayMs(epochDay);
	let minute: number;
	if (stream.turnaround === 'phone') {
		minute = 510 + random.weighted(phoneSlots) * 30 + random.next() * 30;
	} else if (workingDay && !['email', 'registration', 'absent-vote'].includes(stream.type)) {
		minute = 510 + random.next() * 540; // office hours
	} else {
		// Online forms and email arrive around the clock, mostly by day.
		minute = random.chance(0.8) ? 420 + random.next() * 900 : random.next() * 1440;
	}
	return midnight + Math.floor(minute * 60_000 + random.next() * 60_000);
}

function phoneCall(random: Random, stream: Stream, receivedMs: number, n: number, season: Season): DemoContact {
	const minuteOfDay = (receivedMs - startOfLocalDayMs(localEpochDay(receivedMs))) / 60_000;
	const slot = Math.min(phoneSlots.length - 1, Math.max(0, Math.floor((minuteOfDay - 510) / 30)));
	const epochDay = localEpochDay(receivedMs);
	// Load relative to staffing: busy slots, busy weekdays and seasonal pressure all lengthen queues.
	const load = (phoneSlots[slot]! / meanSlot) * weekdayFactor(epochDay) * (1 + season.pressure);
	const waits = random.chance(Math.min(0.92, 0.3 * load * load));
	const wait = waits ? random.exponential(14 * load * load) : 0;
	const patience = random.exponential(110);
	const abandoned = wait > patience;
	const waitSeconds = Math.round(abandoned ? patience : wait);
	const answeredMs = receivedMs + waitSeconds * 1000;
	const handleSeconds = Math.round(random.logNormal(260, 0.5));
	return {
		...identity(stream, n, receivedMs, null, null),
		receivedAt: new Date(receivedMs),
		clockStartAt: null,
		firstResponseAt: abandoned ? null : new Date(answeredMs),
		resolvedAt: abandoned ? null : new Date(answeredMs + handleSeconds * 1000),
		waitSeconds,
		abandoned,
		extended: false,
		status: 'closed',
		events: []
	};
}

function identity(stream: Stream, n: number, receivedMs: number, requester: string | null, subject: string | null) {
	const year = fromEpochDay(localEpochDay(receivedMs)).slice(0, 4);
	return {
		organisation: stream.organisation,
		service: stream.service,
		team: stream.teams[0]![0],
		contactType: stream.type,
		source: stream.source,
		externalRef: `${stream.prefix}-${year}-${String(n).padStart(6, '0')}`,
		requester,
		subject
	};
}

type Calendar = ReturnType<typeof getCalendar>;

function casework(
	random: Random,
	stream: Stream,
	turnaround: Turnaround,
	receivedMs: number,
	n: number,
	season: Season,
	asOfMs: number,
	calendar: Calendar
): DemoContact {
	const team = stream.teams[random.weighted(stream.teams.map(([, share]) => share))]![0];
	const events: DemoContactEvent[] = [];
	let clockStartMs: number | null = null;
	let extended = false;
	let extraDays = 0;

	// Clock rules the engine must honour: late clock starts, restarts, pauses and extensions.
	if (stream.type === 'registration' || stream.type === 'absent-vote') {
		if (random.chance(0.25)) clockStartMs = laterOfficeInstant(random, calendar, receivedMs, random.int(1, 8));
	} else if (stream.type === 'foi') {
		if (random.chance(0.05)) {
			clockStartMs = laterOfficeInstant(random, calendar, receivedMs, random.int(2, 10));
			events.push({ kind: 'restart', at: new Date(clockStartMs), until: null, detail: { reason: 'Clarification received' } });
		}
		if (random.chance(0.03)) {
			extended = true;
			extraDays = 20;
			events.push({ kind: 'extension', at: new Date(laterOfficeInstant(random, calendar, receivedMs, 15)), until: null, detail: { workingDays: 20, reason: 'Public interest test' } });
		}
	} else if (stream.type === 'sar') {
		if (random.chance(0.2)) {
			clockStartMs = laterOfficeInstant(random, calendar, receivedMs, random.int(3, 15));
			events.push({ kind: 'restart', at: new Date(clockStartMs), until: null, detail: { reason: 'Proof of identity received' } });
		}
		if (random.chance(0.06)) {
			extended = true;
			extraDays = 40;
			events.push({ kind: 'extension', at: new Date(laterOfficeInstant(random, calendar, receivedMs, 12)), until: null, detail: { months: 2, reason: 'Complex request' } });
		}
	}
	const startMs = clockStartMs ?? receivedMs;
	const startDate = fromEpochDay(localEpochDay(startMs));

	if (stream.type === 'foi' && random.chance(0.01)) {
		// Fee notice issued, then paid: the days between are disregarded (FOIA s.10(2)).
		const noticeDay = random.int(3, 10);
		const paidAfter = random.int(3, 12);
		const from = laterOfficeInstant(random, calendar, startMs, noticeDay);
		const to = laterOfficeInstant(random, calendar, from, paidAfter);
		events.push({ kind: 'pause', at: new Date(from), until: new Date(to), detail: { reason: 'Fee notice issued; paid' } });
		extraDays += paidAfter + 1;
	}

	const met = random.chance(Math.max(0.3, turnaround.metRate(team, season) - season.pressure * 0.35));
	const allowed = turnaround.limit + extraDays;
	let day = met
		? Math.min(allowed, Math.floor((allowed + 1) * Math.pow(random.next(), turnaround.shape)))
		: allowed + 1 + Math.floor(random.exponential(Math.max(0.8, turnaround.limit * 0.2)));
	const startMinute = (startMs - startOfLocalDayMs(localEpochDay(startMs))) / 60_000;
	if (day === 0 && (!calendar.isWorkingDay(startDate) || startMinute > 1020)) day = 1;
	let respondedMs = officeInstant(random, calendar.addWorkingDays(startDate, day));
	if (respondedMs <= startMs) respondedMs = startMs + random.int(20, 120) * 60_000;
	if (stream.type === 'info' && met) {
		// Sent within 24 hours, or by the next working day when those 24 hours end on a closed day.
		const limitMs = startMs + 24 * 3_600_000;
		if (respondedMs > limitMs && calendar.isWorkingDay(fromEpochDay(localEpochDay(limitMs)))) respondedMs = limitMs - random.int(10, 600) * 60_000;
	}

	// A few cases are simply lost in the system: open and overdue, for the alert queue.
	const lost = asOfMs - receivedMs < 60 * MS_PER_DAY && random.chance(0.004);
	const responded = !lost && respondedMs <= asOfMs;
	const closeAfterDays = stream.type === 'complaint' ? random.int(5, 30) : stream.type === 'letter' ? random.int(0, 10) : 0;
	const resolvedMs = respondedMs + closeAfterDays * MS_PER_DAY + random.int(0, 240) * 60_000;
	const resolved = responded && resolvedMs <= asOfMs;

	return {
		...identity(stream, n, receivedMs, stream.anonymous ? null : personName(random), stream.subjects ? random.pick(stream.subjects) : null),
		team,
		receivedAt: new Date(receivedMs),
		clockStartAt: clockStartMs === null ? null : new Date(clockStartMs),
		firstResponseAt: responded ? new Date(respondedMs) : null,
		resolvedAt: resolved ? new Date(resolvedMs) : null,
		waitSeconds: null,
		abandoned: null,
		extended,
		status: resolved ? 'closed' : responded ? 'responded' : 'open',
		events: events.filter((event) => event.at.getTime() <= asOfMs),
		met
	};
}

/** An instant in office hours (09:00–17:30) on a local date. */
function officeInstant(random: Random, date: string): number {
	return startOfLocalDayMs(toEpochDay(date)) + (540 + random.int(0, 510)) * 60_000;
}

function laterOfficeInstant(random: Random, calendar: Calendar, fromMs: number, workingDays: number): number {
	return officeInstant(random, calendar.addWorkingDays(fromEpochDay(localEpochDay(fromMs)), workingDays));
}
