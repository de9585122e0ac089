/** Getting a board in and out: the versioned JSON board file, and CSV for spreadsheets. */
export {
	BOARD_FILE_FORMAT,
	BOARD_FILE_VERSION,
	BoardFileError,
	checkBoardFile,
	exportBoard,
	importBoard,
	parseBoardFile,
	type BoardFile,
	type FileRecord
} from './json.ts';
export { BOM, neutralise } from './csv-cells.ts';
export { CSV_COLUMNS, exportCsv } from './csv-export.ts';
export {
	CsvImportError,
	importCsv,
	planCsvImport,
	type CsvPlan,
	type PlannedCard,
	type PlannedLane,
	type RowError
} from './csv-import.ts';
export { exportFileName } from './file-name.ts';
