/**
 * Cells a spreadsheet would run as a formula (= + - @, or a leading tab or carriage return) are
 * prefixed with ' (OWASP "CSV injection"). Every CSV and XLSX export passes every text cell through this,
 * header rows included (an imported file's own column names reach the rejected-rows CSV).
 */
export function neutralise(cell: string): string {
	return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
