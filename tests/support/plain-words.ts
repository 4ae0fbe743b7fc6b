import { STANDARD_CODES } from '../../src/lib/engine/catalogue.ts';

/**
 * What a person reads must say dates the GOV.UK way ('1 April 2026') and name standards by the
 * council's words ('Reply to emails'), not by Yardstick's codes ('email.reply'). Codes stay in
 * URLs, form values and the CSV's reference column; a place that needs one as a reference marks it
 * with class "app-reference" and says "Reference".
 */
// A date inside a reference ('MTG-CAB-2026-10-06', a meeting's) is the reference as the council wrote it, not a date label.
const ISO_DATE = /(?<![A-Za-z0-9]-)\b\d{4}-\d{2}-\d{2}\b/g;
const URL_LIKE = /(?:https?:\/\/|\/)[\w.~%/?=&#:+-]*|[\w.+-]+@[\w.-]+/g;
const CODE = new RegExp(`(?<![\\w.-])(?:${STANDARD_CODES.map((c) => c.replace('.', '\\.')).join('|')})(?![\\w-]|\\.\\w)`, 'g');

/** Each offence in the text: an ISO date or a standard's code, with a little context. */
export function codesAndIsoDates(text: string): string[] {
	const offences: string[] = [];
	const plain = text.replace(URL_LIKE, ' ');
	for (const pattern of [ISO_DATE, CODE]) {
		for (const match of plain.matchAll(pattern)) {
			const at = match.index ?? 0;
			offences.push(`'${match[0]}' in "…${plain.slice(Math.max(0, at - 40), at + match[0].length + 30).replace(/\s+/g, ' ')}…"`);
		}
	}
	return offences;
}
