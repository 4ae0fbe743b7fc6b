/**
 * Cells a spreadsheet would run as a formula (= + - @, or a leading tab or carriage return) are
 * prefixed with ' (OWASP "CSV injection"). Every CSV and XLSX export passes text cells through this.
 */
export function neutralise(cell: string): string {
	return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
