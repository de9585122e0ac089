/**
 * A stored snapshot that does not match its checksum. Stores check it on load, because the relay
 * may hand a stored snapshot to clients before it parses it (cold load): damage on disk must be
 * caught in the relay, not in a browser.
 */
export class CorruptBoardError extends Error {
	constructor(id: string) {
		super(`the stored snapshot of board ${id} does not match its checksum`);
		this.name = 'CorruptBoardError';
	}
}
