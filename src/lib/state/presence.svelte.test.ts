import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
	applyAwarenessUpdate,
	Awareness,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import {
	guestName,
	initials,
	pickColour,
	PRESENCE_PALETTE,
	PRESENCE_STORAGE,
	PresenceState,
	PUBLISH_INTERVAL_MS,
	type KeyValueStore
} from './presence.svelte.ts';

/** Awareness instances wired to each other in memory, as the relay would (minus its throttle). */
function room() {
	const members: Awareness[] = [];
	const join = () => {
		const awareness = new Awareness(new Y.Doc());
		awareness.on(
			'update',
			({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
				if (origin === 'wire') return;
				const changed = [...added!, ...updated!, ...removed!];
				const update = encodeAwarenessUpdate(awareness, changed);
				for (const other of members) {
					if (other !== awareness) applyAwarenessUpdate(other, update, 'wire');
				}
			}
		);
		// A joiner is told everyone already here.
		for (const other of members) {
			applyAwarenessUpdate(awareness, encodeAwarenessUpdate(other, [other.clientID]), 'wire');
		}
		members.push(awareness);
		return awareness;
	};
	return { join };
}

function store(values: Record<string, string> = {}): KeyValueStore & { values: typeof values } {
	return {
		values,
		getItem: (key) => values[key] ?? null,
		setItem: (key, value) => void (values[key] = value)
	};
}

function person(r: ReturnType<typeof room>, name?: string, extra: Record<string, string> = {}) {
	const storage = store(name ? { [PRESENCE_STORAGE.name]: name, ...extra } : extra);
	const announced: string[] = [];
	const awareness = r.join();
	const presence = new PresenceState({
		awareness,
		storage,
		announce: (message) => announced.push(message)
	});
	return { presence, awareness, storage, announced };
}

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('identity', () => {
	it('is a guest until named, then remembers the name', () => {
		const r = room();
		const a = person(r);
		expect(a.presence.name).toBeNull();
		expect(a.presence.displayName).toBe(guestName(a.awareness.clientID));
		expect(a.presence.displayName).toMatch(/^Guest [0-9a-f]{3}$/);
		expect(a.presence.needsName).toBe(true);
		a.presence.setName('  Ana Lima ');
		expect(a.presence.name).toBe('Ana Lima');
		expect(a.storage.values[PRESENCE_STORAGE.name]).toBe('Ana Lima');
		expect(a.presence.needsName).toBe(false);
		expect(a.presence.peers[0]).toMatchObject({ self: true, name: 'Ana Lima', initials: 'AL' });
	});

	it('two people with the same initials and the same kept colour are shown apart, alike on every screen', () => {
		const r = room();
		const kept = { [PRESENCE_STORAGE.colour]: PRESENCE_PALETTE[3] };
		const a = person(r, 'Ana Ruiz', kept);
		const b = person(r, 'Alex Reyes', kept);
		const c = person(r, 'Bo Chen', kept);
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS * 2);
		const shown = (p: typeof a) =>
			Object.fromEntries(p.presence.peers.map((peer) => [peer.name, peer.colour]));
		const onA = shown(a);
		expect(onA['Ana Ruiz']).not.toBe(onA['Alex Reyes']);
		// Bo's initials differ: Bo keeps the colour Bo chose.
		expect(onA['Bo Chen']).toBe(PRESENCE_PALETTE[3]);
		expect(shown(b)).toEqual(onA);
		expect(shown(c)).toEqual(onA);
		// Nobody's own choice is overwritten.
		expect(b.storage.values[PRESENCE_STORAGE.colour]).toBe(PRESENCE_PALETTE[3]);
	});

	it('"Not now" keeps the prompt away', () => {
		const a = person(room());
		a.presence.declineName();
		expect(a.presence.needsName).toBe(false);
		expect(a.storage.values[PRESENCE_STORAGE.asked]).toBe('1');
	});

	it('initials come from the first and last word, or the first two letters', () => {
		expect(initials('Ana')).toBe('AN');
		expect(initials('ana maria lima')).toBe('AL');
		expect(initials('Guest 4f2')).toBe('G4');
	});
});

describe('colour', () => {
	it('picks the next free palette colour', () => {
		expect(pickColour(0, [])).toBe(PRESENCE_PALETTE[0]);
		expect(pickColour(0, [PRESENCE_PALETTE[0], PRESENCE_PALETTE[1]])).toBe(PRESENCE_PALETTE[2]);
		expect(pickColour(13, [])).toBe(PRESENCE_PALETTE[1]);
		// All taken: the seed's own colour, rather than none.
		expect(pickColour(3, PRESENCE_PALETTE)).toBe(PRESENCE_PALETTE[3]);
	});

	it('avoids a colour someone on the board already has, then keeps it', () => {
		const r = room();
		const a = person(r, 'Ana');
		// B's stored-less first pick collides with A on purpose.
		const b = person(r, 'Bo');
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(b.presence.colour).not.toBe(a.presence.colour);
		const seen = a.presence.others.find((p) => p.name === 'Bo');
		expect(seen?.colour).toBe(b.presence.colour);
		expect(b.storage.values[PRESENCE_STORAGE.colour]).toBe(b.presence.colour);
	});

	it('a remembered colour is kept', () => {
		const a = person(room(), 'Ana', { [PRESENCE_STORAGE.colour]: '#123456' });
		expect(a.presence.colour).toBe('#123456');
	});
});

describe('peers', () => {
	it('lists me first, then everyone with a valid state; garbage shows nobody', () => {
		const r = room();
		const a = person(r, 'Ana');
		person(r, 'Bo');
		const stranger = r.join();
		stranger.setLocalState({ user: { name: '', colour: 'red' }, cursor: 'x' });
		const weird = r.join();
		weird.setLocalState({ user: { name: 'Cy', colour: '#00ff00' }, selection: { kind: 'ufo' } });
		expect(a.presence.peers.map((p) => [p.name, p.self])).toEqual([
			['Ana', true],
			['Bo', false],
			['Cy', false]
		]);
		expect(a.presence.others[1]!.presence.selection).toBeNull();
	});

	it('a person who leaves disappears', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		expect(a.presence.others).toHaveLength(1);
		b.presence.leave();
		expect(a.presence.others).toHaveLength(0);
	});

	it('a peer removed by the relay (closed socket) disappears too', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		removeAwarenessStates(a.awareness, [b.awareness.clientID], 'relay');
		expect(a.presence.others).toHaveLength(0);
	});
});

describe('publishing', () => {
	it('sends at most one message per interval and merges what came in between', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		vi.advanceTimersByTime(1000);
		const start = a.presence.sent;
		// A drag: one second of pointer moves at 120 Hz, a selection and a drag start.
		a.presence.select({ kind: 'lane', id: 'l1' });
		a.presence.intent({ kind: 'lane', id: 'l1' }, { editing: false, dragging: true });
		for (let i = 0; i < 120; i++) {
			a.presence.pointer({ x: i, y: i * 2 });
			vi.advanceTimersByTime(1000 / 120);
		}
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		const sent = a.presence.sent - start;
		expect(sent).toBeLessThanOrEqual(1000 / PUBLISH_INTERVAL_MS + 1);
		expect(sent).toBeGreaterThan(10);
		const seen = b.presence.others[0]!.presence;
		expect(seen.cursor).toEqual({ x: 119, y: 238 });
		expect(seen.dragging).toEqual({ kind: 'lane', id: 'l1' });
		expect(b.presence.marksFor('lane', 'l1')).toEqual([
			expect.objectContaining({ name: 'Ana', intent: 'dragging' })
		]);
	});

	it('an unchanged pointer or scroll sends nothing', () => {
		const a = person(room(), 'Ana');
		a.presence.pointer({ x: 1, y: 1 });
		vi.advanceTimersByTime(100);
		const sent = a.presence.sent;
		a.presence.pointer({ x: 1.2, y: 0.9 });
		vi.advanceTimersByTime(100);
		expect(a.presence.sent).toBe(sent);
	});
});

describe('marks', () => {
	it('outlines what others select, edit and drag, strongest intent first', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		const card = { kind: 'card', id: 'c1' } as const;
		b.presence.select(card);
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.presence.marksFor('card', 'c1')).toMatchObject([{ name: 'Bo', intent: 'selected' }]);
		const stop = b.presence.intent(card, { editing: true, dragging: false });
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.presence.marksFor('card', 'c1')).toMatchObject([{ name: 'Bo', intent: 'editing' }]);
		// My own selection is not outlined on my screen.
		expect(b.presence.marksFor('card', 'c1')).toEqual([]);
		stop();
		b.presence.select(null);
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.presence.marksFor('card', 'c1')).toEqual([]);
	});

	it('clearing one item’s intent leaves another item’s alone', () => {
		const a = person(room(), 'Ana');
		const stopOld = a.presence.intent(
			{ kind: 'lane', id: 'l1' },
			{ editing: false, dragging: true }
		);
		a.presence.intent({ kind: 'lane', id: 'l2' }, { editing: false, dragging: true });
		stopOld();
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.awareness.getLocalState()?.dragging).toEqual({ kind: 'lane', id: 'l2' });
	});

	it('credits a move to whoever dragged the item, for a while after the drop', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		const stop = b.presence.intent({ kind: 'lane', id: 'l1' }, { editing: false, dragging: true });
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.presence.movedBy('lane', 'l1')).toBe('Bo');
		stop();
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.presence.marksFor('lane', 'l1')).toEqual([]);
		expect(a.presence.movedBy('lane', 'l1')).toBe('Bo');
		vi.advanceTimersByTime(6_000);
		b.presence.pointer({ x: 5, y: 5 });
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.presence.movedBy('lane', 'l1')).toBeNull();
		expect(a.presence.movedBy('lane', 'other')).toBeNull();
	});
});

describe('following', () => {
	it('follows a person’s viewport until stopped, or until they leave', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		a.presence.scrolled({ left: 900, top: 40 });
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(b.presence.followViewport).toBeNull();
		b.presence.follow(a.awareness.clientID);
		expect(b.presence.following).toMatchObject({ name: 'Ana', reason: 'follow' });
		expect(b.presence.followViewport).toEqual({ left: 900, top: 40 });
		a.presence.scrolled({ left: 1500, top: 0 });
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(b.presence.followViewport).toEqual({ left: 1500, top: 0 });
		b.presence.stopFollowing();
		expect(b.presence.followViewport).toBeNull();

		b.presence.follow(a.awareness.clientID);
		a.presence.leave();
		expect(b.presence.following).toBeNull();
		expect(b.announced.at(-1)).toMatch(/Ana left the board/);
	});

	it('following a presenter shows presentation mode, and stops with them or with the follow', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		b.presence.follow(a.awareness.clientID);
		expect(b.presence.followingPresenter).toBe(false);
		a.presence.present(true);
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(b.presence.followingPresenter).toBe(true);
		a.presence.present(false);
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(b.presence.followingPresenter).toBe(false);
		a.presence.present(true);
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		b.presence.stopFollowing();
		expect(b.presence.followingPresenter).toBe(false);
	});

	it('following someone makes their marks stand out', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		a.presence.select({ kind: 'card', id: 'c1' });
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		b.presence.follow(a.awareness.clientID);
		expect(b.presence.marksFor('card', 'c1')[0]?.followed).toBe(true);
	});

	it('cannot follow myself or someone not here', () => {
		const a = person(room(), 'Ana');
		a.presence.follow(a.awareness.clientID);
		a.presence.follow(12345);
		expect(a.presence.following).toBeNull();
	});

	it('"Bring everyone here" makes everyone else follow; a latecomer is not summoned', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		const c = person(r, 'Cy');
		c.presence.follow(b.awareness.clientID);
		a.presence.summon();
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(a.presence.following).toBeNull();
		for (const other of [b, c]) {
			expect(other.presence.following).toMatchObject({ name: 'Ana', reason: 'summon' });
			expect(other.announced.at(-1)).toBe(
				'Ana brought everyone here. You are following their view.'
			);
		}
		const late = person(r, 'Di');
		expect(late.presence.following).toBeNull();
		// Each can leave, and a second summons brings them back.
		b.presence.stopFollowing();
		vi.advanceTimersByTime(1000);
		a.presence.summon();
		vi.advanceTimersByTime(PUBLISH_INTERVAL_MS);
		expect(b.presence.following?.name).toBe('Ana');
		expect(late.presence.following?.name).toBe('Ana');
	});
});

describe('cursors toggle', () => {
	it('is on by default and remembered', () => {
		const a = person(room(), 'Ana');
		expect(a.presence.showCursors).toBe(true);
		a.presence.toggleCursors();
		expect(a.storage.values[PRESENCE_STORAGE.cursors]).toBe('off');
		const again = new PresenceState({ awareness: new Awareness(new Y.Doc()), storage: a.storage });
		expect(again.showCursors).toBe(false);
	});
});

describe('leaving', () => {
	it('destroy() clears the local state so nobody sees a ghost', () => {
		const r = room();
		const a = person(r, 'Ana');
		const b = person(r, 'Bo');
		b.presence.destroy();
		expect(a.presence.others).toHaveLength(0);
		expect(b.awareness.getLocalState()).toBeNull();
	});
});
