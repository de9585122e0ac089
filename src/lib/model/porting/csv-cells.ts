/**
 * How a cell is written to and read from CSV, in one place.
 *
 * Formula neutralisation (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with
 * `=`, `+`, `-` or `@` as a formula, and a leading tab or carriage return can smuggle one past
 * a filter. Such a cell is written with a leading apostrophe (`'=HYPERLINK(…)`), which the
 * spreadsheet shows as text. Reading strips that one apostrophe again, so an export imports back
 * to the same names. (A name that itself starts with an apostrophe and then one of those
 * characters loses its apostrophe on the way back.)
 */
import Papa from 'papaparse';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEUTRALISED = /^'[=+\-@\t\r]/;

export const BOM = '\uFEFF';

export function neutralise(cell: string): string {
	return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function unneutralise(cell: string): string {
	return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

/**
 * A CSV file: UTF-8 byte order mark (so Excel reads it as UTF-8), a header row, RFC 4180
 * quoting (a cell with a comma, quote or line break is quoted, quotes doubled), CRLF line ends,
 * every cell neutralised.
 */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const body = Papa.unparse(
		{ fields: [...header], data: rows.map((row) => row.map(neutralise)) },
		{ newline: '\r\n', quotes: false, escapeFormulae: false }
	);
	return `${BOM}${body}\r\n`;
}

export interface CsvTable {
	/** Normalised header names (trimmed, lower case). */
	header: string[];
	/** Data records with their spreadsheet row number (the header is row 1). */
	rows: { row: number; cells: string[] }[];
	/** Records the parser could not read (an unclosed quote), by row number. */
	errors: { row: number; message: string }[];
}

/** Reads a CSV file with a header row. Blank lines are skipped but still counted as rows. */
export function readCsv(text: string): CsvTable {
	const source = text.startsWith(BOM) ? text.slice(BOM.length) : text;
	const parsed = Papa.parse<string[]>(source, { header: false, skipEmptyLines: false });
	const [head = [], ...records] = parsed.data;
	// Papa guesses the delimiter (a German Excel saves with `;`) and says when it had to default
	// to a comma: that is not a problem with the file.
	const errors = parsed.errors
		.filter((e) => e.code !== 'UndetectableDelimiter')
		.map((e) => ({
			row: (e.row ?? 0) + 1,
			message: `the file could not be read here: ${e.message}`
		}));
	const rows: CsvTable['rows'] = [];
	records.forEach((cells, index) => {
		if (cells.every((cell) => cell.trim() === '')) return;
		rows.push({ row: index + 2, cells: cells.map(unneutralise) });
	});
	return { header: head.map((h) => h.trim().toLowerCase()), rows, errors };
}
