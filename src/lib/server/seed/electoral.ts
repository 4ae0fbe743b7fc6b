import { getCalendar } from '../../engine/calendar.ts';
import { noticeCutOff } from '../../engine/duties.ts';
import { fromEpochDay, localEpochDay, toEpochDay } from '../../engine/dates.ts';
import { Random } from './random.ts';

export interface DemoCanvassProperty {
	canvassYear: number;
	propertyRef: string;
	pollingDistrict: string;
	route: number;
	contactedOn: string;
	respondedOn: string | null;
	responseMethod: string | null;
}

export interface DemoNotice {
	month: string;
	cutOffOn: string;
	dueOn: string;
	publishedOn: string | null;
	changes: { changeRef: string; kind: 'addition' | 'amendment' | 'deletion'; determinedOn: string; included: boolean }[];
}

const districts = Array.from({ length: 24 }, (_, i) => `B${String.fromCharCode(65 + i)}`);
const methods = ['online', 'phone', 'text', 'paper', 'canvasser'] as const;

/** Final Route 2 response rate per canvass; 2025 slipped below the 90% target. */
const route2Rate: Record<number, number> = { 2024: 0.915, 2025: 0.887, 2026: 0.91 };

/** The annual canvass of every property (ES01), for each canvass that has started by asOf. */
export function* generateCanvass(seed: string, firstYear: number, asOf: Date, properties: number): Generator<DemoCanvassProperty> {
	const calendar = getCalendar('england-wales');
	const today = fromEpochDay(localEpochDay(asOf.getTime()));
	const base = new Random(`${seed}:properties`);
	const homes = Array.from({ length: properties }, (_, i) => ({
		ref: `UPRN-${String(100_000_000 + i * 37)}`,
		district: districts[Math.floor((i * districts.length) / properties)]!,
		route: base.chance(0.7) ? 1 : base.chance(0.9) ? 2 : 3
	}));
	for (let year = firstYear; `${year}-07-01` <= today; year++) {
		const random = new Random(`${seed}:canvass:${year}`);
		const start = calendar.nextWorkingDay(`${year}-07-01`, true);
		const close = toEpochDay(`${year}-11-20`);
		for (const home of homes) {
			// Data matching moves a few properties between routes each year.
			const route = random.chance(0.05) ? (home.route === 1 ? 2 : 1) : home.route;
			const contactedOn = calendar.addWorkingDays(start, random.int(0, 8));
			const rate = route === 2 ? (route2Rate[year] ?? 0.9) : route === 3 ? 0.97 : 0.35;
			let respondedOn: string | null = null;
			if (random.chance(rate)) {
				const after = Math.floor(random.exponential(24));
				const day = Math.min(toEpochDay(contactedOn) + 1 + after, close - random.int(0, 20));
				respondedOn = fromEpochDay(Math.max(day, toEpochDay(contactedOn) + 1));
				if (respondedOn > today) respondedOn = null;
			}
			yield {
				canvassYear: year,
				propertyRef: home.ref,
				pollingDistrict: home.district,
				route,
				contactedOn,
				respondedOn,
				responseMethod: respondedOn ? methods[random.weighted([55, 10, 10, 10, 15])]! : null
			};
		}
	}
}

/**
 * Monthly notices of alteration (ES02) for January to July, published on the first working day,
 * each including the changes determined up to its cut-off. Two notices miss a few changes and one
 * is published a day late, so the indicator has something to show.
 */
export function generateNotices(seed: string, from: string, asOf: Date): DemoNotice[] {
	const calendar = getCalendar('england-wales');
	const today = fromEpochDay(localEpochDay(asOf.getTime()));
	const random = new Random(`${seed}:notices`);
	const notices: DemoNotice[] = [];
	let previousCutOff: string | null = null;
	let serial = 0;
	for (let year = Number(from.slice(0, 4)); ; year++) {
		for (let month = 1; month <= 7; month++) {
			const first = `${year}-${String(month).padStart(2, '0')}-01`;
			if (first < from.slice(0, 8) + '01') continue;
			const dueOn = calendar.nextWorkingDay(first, true);
			if (dueOn > today) return notices;
			const cutOffOn = noticeCutOff(dueOn, calendar);
			const windowStart: string = previousCutOff ?? calendar.addWorkingDays(cutOffOn, -21);
			previousCutOff = cutOffOn;
			const late = first === '2025-03-01';
			const missed = first === '2025-03-01' ? 3 : first === '2026-02-01' ? 1 : 0;
			const count = random.poisson(month <= 4 ? 320 : 260);
			const window = calendar.workingDaysBetween(windowStart, cutOffOn);
			const changes: DemoNotice['changes'] = [];
			for (let i = 0; i < count; i++) {
				const kind = (['addition', 'amendment', 'deletion'] as const)[random.weighted([55, 15, 30])]!;
				changes.push({
					changeRef: `RC-${year}-${String(++serial).padStart(6, '0')}`,
					kind,
					determinedOn: calendar.addWorkingDays(windowStart, random.int(1, Math.max(1, window))),
					included: i >= missed
				});
			}
			notices.push({
				month: first,
				cutOffOn,
				dueOn,
				publishedOn: late ? calendar.addWorkingDays(dueOn, 1) : dueOn,
				changes
			});
		}
		// August to December: the canvass; changes go into the revised register on 1 December.
		previousCutOff = null;
	}
}

