/**
 * Whether `build/` was made from the sources as they are now. `railyard.sh start` builds only
 * when not, so restarting the server mid-workshop takes a second instead of a 15-second build.
 * The stamp is a hash of every file the build reads (src/, static/, the two configs and the
 * lockfile), written into build/ after a successful build.
 *
 *   node scripts/build-stamp.ts check   exit 0 when build/ is current, 1 when it must be rebuilt
 *   node scripts/build-stamp.ts write   record the current sources as built
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const INPUTS = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
const STAMP = path.join('build', '.sources-sha256');

function files(root: string, at: string): string[] {
	const full = path.join(root, at);
	if (!fs.existsSync(full)) return [];
	if (!fs.statSync(full).isDirectory()) return [at];
	return fs
		.readdirSync(full)
		.sort()
		.flatMap((name) => files(root, path.join(at, name)));
}

/** One hash over every input file's path and bytes: a rename counts as a change too. */
export function sourcesHash(root: string): string {
	const hash = createHash('sha256');
	for (const file of INPUTS.flatMap((input) => files(root, input))) {
		hash
			.update(file)
			.update('\0')
			.update(fs.readFileSync(path.join(root, file)))
			.update('\0');
	}
	return hash.digest('hex');
}

export function isCurrent(root: string): boolean {
	const stamp = path.join(root, STAMP);
	if (!fs.existsSync(path.join(root, 'build', 'handler.js')) || !fs.existsSync(stamp)) return false;
	return fs.readFileSync(stamp, 'utf8').trim() === sourcesHash(root);
}

export function writeStamp(root: string): void {
	fs.writeFileSync(path.join(root, STAMP), sourcesHash(root) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const root = process.cwd();
	const command = process.argv[2];
	if (command === 'check') process.exit(isCurrent(root) ? 0 : 1);
	else if (command === 'write') writeStamp(root);
	else {
		console.error('usage: node scripts/build-stamp.ts check|write');
		process.exit(2);
	}
}
