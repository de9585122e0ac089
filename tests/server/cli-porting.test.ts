/**
 * The admin CLI's export and import, for backups: `export <board> > plan.json` then
 * `import plan.json` gives a new board with the same snapshot; `--format csv` prints the CSV.
 * The last test runs the real command line, as an operator would, to check what reaches stdout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBoard } from '../../src/lib/model/index.ts';
import { runCli } from '../../server/cli.ts';
import { readStoredBoard } from '../../server/http/porting.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-cli-porting-'));
	dirs.push(dir);
	return dir;
}

async function snapshotOf(dir: string, id: string) {
	const store = openSqliteStore({ dir });
	try {
		return readBoard((await readStoredBoard(store, id))!);
	} finally {
		await store.close();
	}
}

describe('admin CLI export and import', () => {
	it('export > file, import file: a new board with the same snapshot', async () => {
		const dir = dataDir();
		const env = { DATA_DIR: dir };
		const created = JSON.parse(await runCli(['create', '--sample', '--json'], env));
		const file = path.join(dir, 'plan.json');
		fs.writeFileSync(file, await runCli(['export', created.id], env));
		expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ format: 'railyard-board' });

		const imported = JSON.parse(await runCli(['import', file, '--json'], env));
		expect(imported.id).not.toBe(created.id);
		expect(imported.url).toMatch(/#token=/);
		expect(await snapshotOf(dir, imported.id)).toEqual(await snapshotOf(dir, created.id));
	});

	it('exports CSV, and explains a bad file or format', async () => {
		const dir = dataDir();
		const env = { DATA_DIR: dir };
		const { id } = JSON.parse(await runCli(['create', '--sample', '--json'], env));
		const csv = await runCli(['export', id, '--format', 'csv'], env);
		expect(csv.startsWith('\uFEFFProgram,Priority,Lane,')).toBe(true);
		await expect(runCli(['export', id, '--format', 'xlsx'], env)).rejects.toThrow(/--format/);
		const bad = path.join(dir, 'bad.json');
		fs.writeFileSync(bad, JSON.stringify({ format: 'railyard-board', version: 1, board: {} }));
		await expect(runCli(['import', bad], env)).rejects.toThrow(/^board\.schemaVersion: /);
		await expect(runCli(['import', path.join(dir, 'missing.json')], env)).rejects.toThrow(
			/not a readable JSON file/
		);
	});

	it('prints the export to stdout byte for byte from the command line', async () => {
		const dir = dataDir();
		const env = { ...process.env, DATA_DIR: dir };
		const { id } = JSON.parse(await runCli(['create', '--sample', '--json'], env));
		const out = execFileSync(process.execPath, ['server/cli.ts', 'export', id, '--format', 'csv'], {
			env,
			encoding: 'utf8'
		});
		expect(out).toBe(await runCli(['export', id, '--format', 'csv'], env));
	});
});
