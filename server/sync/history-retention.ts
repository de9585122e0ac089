/**
 * Replay's retention (README "History"): every accepted update is kept with its time for
 * HISTORY_DAYS; older ones are folded into the board's history base — the board as it was when
 * its kept history begins — so replaying from there stays exact while storage stays bounded.
 *
 * Folding reads the base and the expired updates in pages, applies them to a scratch doc (the
 * relay's own way of holding a board, garbage collection included), and writes the new base and
 * drops those updates in one store write. Between pages it yields, so a board with a long
 * backlog never holds the event loop for long. Another relay folding the same board at the same
 * time makes the second write a no-op (the store checks the base it replaces).
 */
import * as Y from 'yjs';
import type { ReplayLog } from '../storage/types.ts';

/** Updates applied per page before yielding to the event loop. */
const PAGE = 2000;

/** Folds the updates of `boardId` stamped before `before` into its base; resolves to how many. */
export async function foldExpiredHistory(
	store: ReplayLog,
	boardId: string,
	before: number
): Promise<number> {
	const base = await store.historyBase(boardId);
	if (!base || base.at >= before) return 0;
	const doc = new Y.Doc();
	try {
		if (base.state) Y.applyUpdate(doc, base.state);
		let uptoSeq = base.uptoSeq;
		let folded = 0;
		for (;;) {
			const page = await store.history(boardId, {
				afterSeq: uptoSeq,
				until: before - 1,
				limit: PAGE
			});
			if (page.length === 0) break;
			Y.transact(doc, () => {
				for (const update of page) Y.applyUpdate(doc, update.data);
			});
			uptoSeq = page.at(-1)!.seq;
			folded += page.length;
			if (page.length < PAGE) break;
			await new Promise((resolve) => setImmediate(resolve));
		}
		// Nothing expired: the base moves on in time only when it is rewritten anyway.
		if (folded === 0) return 0;
		const state = Y.encodeStateAsUpdate(doc);
		const written = await store.foldHistory(boardId, { state, at: before, uptoSeq }, base.uptoSeq);
		return written ? folded : 0;
	} finally {
		doc.destroy();
	}
}
