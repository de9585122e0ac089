/**
 * The key that signs share-link tokens. From RAILYARD_SECRET when set; otherwise generated once
 * into DATA_DIR/secret.key (mode 0600) and kept, so links survive restarts. Rotating it (a new
 * RAILYARD_SECRET, or deleting secret.key) invalidates every link ever issued.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SECRET_FILE = 'secret.key';
const MIN_SECRET_BYTES = 32;

export function loadSecret(opts: { env?: string; dataDir: string }): Uint8Array {
	if (opts.env !== undefined && opts.env !== '') {
		const bytes = new TextEncoder().encode(opts.env);
		if (bytes.length < MIN_SECRET_BYTES) {
			throw new Error(`RAILYARD_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
		}
		return bytes;
	}
	const file = path.join(opts.dataDir, SECRET_FILE);
	try {
		const stored = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
		if (stored.length >= MIN_SECRET_BYTES) return new Uint8Array(stored);
		throw new Error(
			`${file} is too short; delete it to generate a new one (this revokes all links)`
		);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
	}
	fs.mkdirSync(opts.dataDir, { recursive: true });
	const secret = crypto.randomBytes(MIN_SECRET_BYTES);
	// Write-then-rename, exclusive: two processes starting at once cannot end with different keys.
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, secret.toString('base64url') + '\n', { mode: 0o600 });
	try {
		fs.linkSync(tmp, file);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		fs.rmSync(tmp);
		return loadSecret(opts);
	}
	fs.rmSync(tmp);
	return new Uint8Array(secret);
}
