/**
 * The flags and numbers of a council's export (docs/interfaces.md "The generic contact log"); its dates are
 * read by the engine (engine/instants.ts). Pure: no I/O.
 */
/** yes / no / true / false / 1 / 0 (any case); empty is null. */
export function parseFlag(text: string): boolean | null | undefined {
	switch (text.trim().toLowerCase()) {
		case '':
			return null;
		case 'yes':
		case 'y':
		case 'true':
		case '1':
			return true;
		case 'no':
		case 'n':
		case 'false':
		case '0':
			return false;
		default:
			return undefined;
	}
}

/** A whole, non-negative number of seconds ('12', '12.0'); undefined when it is not one. */
export function parseSeconds(text: string): number | undefined {
	const value = text.trim();
	if (!/^\d+(?:\.0+)?$/.test(value)) return undefined;
	const seconds = Number(value);
	return Number.isSafeInteger(seconds) && seconds <= 2_147_483_647 ? seconds : undefined;
}
