/** `locked`: a facilitator locked what the edit touches (model/locks.ts).
 * `needs-owner`: a risk cannot be Owned without an owner; the UI asks for one. */
export type ModelErrorCode = 'not-found' | 'invalid' | 'too-long' | 'needs-owner' | 'locked';

/** A model operation was asked for something the current board cannot do. */
export class ModelError extends Error {
	readonly code: ModelErrorCode;
	/** For `too-long`: which field and its limit, so the UI can say so next to the input. */
	readonly detail?: { field: string; limit: number };
	constructor(code: ModelErrorCode, message: string, detail?: { field: string; limit: number }) {
		super(message);
		this.name = 'ModelError';
		this.code = code;
		if (detail) this.detail = detail;
	}
}
