/**
 * The GOV.UK date input (day, month, year in three boxes) read into an ISO date, with the Design
 * System's error messages: which part is missing, or that it is not a real date. Pure.
 */
export type DatePart = 'day' | 'month' | 'year';

export type DateInputResult = { date: string } | { empty: true } | { error: string; parts: DatePart[] };

/**
 * `what` names the date in a message: 'the date the closure starts' gives "Enter the date the
 * closure starts", "The date the closure starts must include a month", "… must be a real date".
 */
export function readDateInput(values: { day?: unknown; month?: unknown; year?: unknown }, what: string): DateInputResult {
	const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
	const parts = { day: text(values.day), month: text(values.month), year: text(values.year) };
	const missing = (Object.keys(parts) as DatePart[]).filter((part) => parts[part] === '');
	const What = what.charAt(0).toUpperCase() + what.slice(1);
	if (missing.length === 3) return { empty: true };
	if (missing.length) return { error: `${What} must include a ${missing.join(' and a ')}`, parts: missing };
	const bad = (Object.keys(parts) as DatePart[]).filter((part) => !/^\d+$/.test(parts[part]));
	if (bad.length) return { error: `${What} must be a real date`, parts: bad };
	if (parts.year.length !== 4) return { error: `Year must include 4 numbers`, parts: ['year'] };
	const [day, month, year] = [Number(parts.day), Number(parts.month), Number(parts.year)];
	const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
	const real = month >= 1 && month <= 12 && day >= 1 && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
	if (!real) return { error: `${What} must be a real date`, parts: month < 1 || month > 12 ? ['month'] : ['day'] };
	return { date };
}
