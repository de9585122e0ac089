/** A model operation was asked for something the current board cannot do. */
export class ModelError extends Error {
	readonly code: 'not-found' | 'invalid';
	constructor(code: 'not-found' | 'invalid', message: string) {
		super(message);
		this.name = 'ModelError';
		this.code = code;
	}
}
