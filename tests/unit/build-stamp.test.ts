import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCurrent, writeStamp } from '../../scripts/build-stamp.ts';

describe('build stamp', () => {
	let root = '';
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	function project() {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-stamp-'));
		fs.mkdirSync(path.join(root, 'src/lib'), { recursive: true });
		fs.writeFileSync(path.join(root, 'src/lib/a.ts'), 'export const a = 1;\n');
		fs.writeFileSync(path.join(root, 'package-lock.json'), '{}\n');
		fs.mkdirSync(path.join(root, 'build'));
		fs.writeFileSync(path.join(root, 'build/handler.js'), '');
	}

	it('says a build is current until a source changes, is added, or the build is gone', () => {
		project();
		expect(isCurrent(root)).toBe(false);
		writeStamp(root);
		expect(isCurrent(root)).toBe(true);

		fs.writeFileSync(path.join(root, 'src/lib/a.ts'), 'export const a = 2;\n');
		expect(isCurrent(root)).toBe(false);
		writeStamp(root);
		fs.writeFileSync(path.join(root, 'src/lib/b.ts'), '');
		expect(isCurrent(root)).toBe(false);
		writeStamp(root);
		fs.writeFileSync(path.join(root, 'package-lock.json'), '{"v":2}\n');
		expect(isCurrent(root)).toBe(false);
		writeStamp(root);
		expect(isCurrent(root)).toBe(true);
		fs.rmSync(path.join(root, 'build/handler.js'));
		expect(isCurrent(root)).toBe(false);
	});
});
