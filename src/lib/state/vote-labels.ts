/**
 * Words for votes, from the board as this screen has it: the relay's results name items by id
 * only, and the names are resolved here.
 */
import type { BoardSnapshot } from '$lib/model/index.ts';
import type { DotTarget, Subject, VoteSpec } from '$lib/protocol/votes.ts';

const TARGET_WORDS: Record<DotTarget, [string, string]> = {
	card: ['card', 'cards'],
	lane: ['lane', 'lanes'],
	objective: ['objective', 'objectives'],
	risk: ['risk', 'risks']
};

/** The name of a card, lane, objective or risk; "a deleted card" when it is gone. */
export function itemName(snapshot: BoardSnapshot, kind: DotTarget, id: string): string {
	let name: string | undefined;
	for (const program of snapshot.programs) {
		if (kind === 'lane') name ??= program.lanes.find((l) => l.id === id)?.name;
		if (kind === 'objective') name ??= program.objectives.find((o) => o.id === id)?.name;
		if (kind === 'card') {
			for (const lane of program.lanes) {
				for (const cards of Object.values(lane.cells)) {
					name ??= cards.find((c) => c.id === id)?.title;
				}
			}
		}
	}
	if (kind === 'risk') {
		for (const risks of Object.values(snapshot.risks))
			name ??= risks.find((r) => r.id === id)?.title;
	}
	if (name === undefined) return `a deleted ${TARGET_WORDS[kind][0]}`;
	return name || `Untitled ${TARGET_WORDS[kind][0]}`;
}

export function subjectName(snapshot: BoardSnapshot, subject: Subject): string {
	if (subject.type === 'plan') return 'the whole plan';
	const program = snapshot.programs.find((p) => p.id === subject.id);
	return program ? program.name || 'Untitled program' : 'a deleted program';
}

/** "cards and lanes" */
export function targetsWords(targets: readonly DotTarget[]): string {
	const words = targets.map((t) => TARGET_WORDS[t][1]);
	return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0]!;
}

/** The facilitator's title, or what the vote is about. */
export function voteTitle(snapshot: BoardSnapshot, spec: VoteSpec): string {
	if (spec.title) return spec.title;
	if (spec.kind === 'confidence') return `Confidence in ${subjectName(snapshot, spec.subject)}`;
	return `Dot vote on ${targetsWords(spec.targets)}`;
}
