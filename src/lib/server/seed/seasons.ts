import { getCalendar } from '../../engine/calendar.ts';
import { fromEpochDay, localEpochDay, toEpochDay } from '../../engine/dates.ts';

/** Polling days in the demo years: PCC 2024, the general election, county 2025, borough 2026. */
export const demoElections = [
	{ date: '2024-05-02', name: 'Police and Crime Commissioner election', noticeDays: 60 },
	{ date: '2024-07-04', name: 'UK Parliamentary general election', noticeDays: 43 },
	{ date: '2025-05-01', name: 'County council elections', noticeDays: 60 },
	{ date: '2026-05-07', name: 'Borough council elections', noticeDays: 60 }
] as const;

export type DemandKind = 'steady' | 'registration' | 'absent-vote' | 'electoral-email';

export interface Season {
	date: string;
	/** 0 normally; higher when the service is stretched (election peaks, Christmas). */
	pressure: number;
}

const dayOfYear = (date: string) => date.slice(5);

function isChristmas(date: string): boolean {
	const md = dayOfYear(date);
	return md >= '12-22' || md <= '01-03';
}

function isCanvass(date: string): boolean {
	const md = dayOfYear(date);
	return md >= '07-01' && md <= '11-30';
}

/**
 * How much an election drives a deadline-led surge on this date: ramps up over the weeks before
 * the application deadline (registration 12 working days before polling day, postal votes 11),
 * then falls away. 0 when no election is near.
 */
function electionSurge(date: string, deadlineDaysBefore: number): number {
	const day = toEpochDay(date);
	let surge = 0;
	for (const election of demoElections) {
		const deadline = toEpochDay(election.date) - deadlineDaysBefore;
		const windowStart = toEpochDay(election.date) - election.noticeDays;
		if (day >= windowStart && day <= deadline) {
			surge = Math.max(surge, (day - windowStart + 1) / (deadline - windowStart + 1));
		} else if (day > deadline && day <= toEpochDay(election.date)) {
			surge = Math.max(surge, 0.15);
		}
	}
	return surge;
}

/** Volume multiplier for a stream's demand pattern on a date. */
export function demand(kind: DemandKind, date: string): number {
	let factor = isChristmas(date) ? 0.55 : date.slice(5, 7) === '08' ? 0.9 : 1;
	if (kind === 'registration') factor *= (isCanvass(date) ? 1.7 : 1) + 3.5 * electionSurge(date, 16);
	if (kind === 'absent-vote') factor *= 1 + 6 * electionSurge(date, 15);
	if (kind === 'electoral-email') factor *= (isCanvass(date) ? 1.5 : 1) + 2 * electionSurge(date, 16);
	return factor;
}

/**
 * Pressure on turnaround: the electoral team is stretched before polling day; everyone is short
 * over Christmas and in the backlog after it; the county contact centre was short-staffed in
 * spring 2025.
 */
export function pressure(date: string, kind: DemandKind | 'phone' = 'steady'): number {
	let p = 0;
	if (isChristmas(date)) p += 0.2;
	const md = dayOfYear(date);
	if (md >= '01-04' && md <= '01-16') p += 0.12;
	if (kind === 'phone' && date >= '2025-02-01' && date <= '2025-03-31') p += 0.25;
	if (kind !== 'steady' && kind !== 'phone') p += 0.45 * electionSurge(date, 16);
	return p;
}

/** Working days between Christmas and New Year that are not bank holidays: the offices close. */
export function christmasClosures(from: string, asOf: Date): string[] {
	const calendar = getCalendar('england-wales');
	const lastYear = Number(fromEpochDay(localEpochDay(asOf.getTime())).slice(0, 4));
	const dates: string[] = [];
	for (let year = Number(from.slice(0, 4)); year <= lastYear; year++) {
		for (let day = toEpochDay(`${year}-12-27`); day <= toEpochDay(`${year}-12-31`); day++) {
			const date = fromEpochDay(day);
			if (calendar.isWorkingDay(date)) dates.push(date);
		}
	}
	return dates;
}
