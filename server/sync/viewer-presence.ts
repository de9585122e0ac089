/**
 * What a viewer (read-only link) may publish through awareness: the presence fields the model
 * lists in VIEWER_FIELDS (who, where they point, what they look at), nothing that claims an edit
 * in progress, a drag, or summons the room. The relay rewrites each of a viewer's awareness
 * entries to that before it is applied, so no peer ever sees the rest.
 */
import { viewerPresence } from '../../src/lib/model/presence.ts';
import { MAX_STATE_BYTES, type AwarenessEntry } from './awareness-owners.ts';

export function viewerEntries(entries: readonly AwarenessEntry[]): AwarenessEntry[] {
	return entries.map((entry) => {
		// Removals stay removals; an oversize state is dropped later, unparsed.
		if (entry.removal || entry.json.length > MAX_STATE_BYTES) return entry;
		// A state that is not an object becomes an empty one, not a removal: the id stays its own.
		const kept = viewerPresence(JSON.parse(entry.json)) ?? {};
		return { ...entry, json: JSON.stringify(kept) };
	});
}
