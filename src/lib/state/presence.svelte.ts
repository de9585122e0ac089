/**
 * Presence: who is on the board, what each of them points at, has selected, is typing into or
 * dragging, and following someone's view. The only code that reads or writes the awareness of
 * the board's connection; components see plain peers and marks through getters.
 *
 * Everything this person tells the others goes out through one throttled publisher: at most one
 * awareness message every PUBLISH_INTERVAL_MS (20 per second), whatever mix of cursor, scroll,
 * selection and drag changes caused it. Later changes inside one interval are merged into the
 * message that goes out at its end, so nothing is lost, only coalesced.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- the plain Maps and Sets here are bookkeeping
   that never renders; what renders is the $state.raw fields and the mark buckets. */
import type { Awareness } from 'y-protocols/awareness';
import { untrack } from 'svelte';
import { distinctColours, guestName, initials, pickColour, PRESENCE_PALETTE } from './identity.ts';
import { DragMemory } from './drag-memory.ts';
import { PresenceMarks, targetKey, type Intent, type Mark } from './presence-marks.svelte.ts';
import {
	EMPTY_PRESENCE,
	readPresence,
	type Presence,
	type PresenceKind,
	type PresenceTarget
} from '$lib/model/presence.ts';

export { guestName, initials, pickColour, PRESENCE_PALETTE, targetKey, type Intent, type Mark };

/** 50 ms: at most 20 presence messages per second per client, dragging or not. */
export const PUBLISH_INTERVAL_MS = 50;

/** How long after a drag ended a move of that item is still credited to its dragger. */
export const DRAG_MEMORY_MS = 5_000;
/** How long a move made by keyboard or menu shows as "moving" to the others. */
export const MOVE_MARK_MS = 1_500;

/** localStorage keys. Tests preset `railyard:name` to join under a name without the prompt. */
export const PRESENCE_STORAGE = {
	name: 'railyard:name',
	colour: 'railyard:colour',
	cursors: 'railyard:show-cursors',
	/** Set when the person answered "Not now": the prompt does not come back by itself. */
	asked: 'railyard:name-asked'
} as const;

export interface KeyValueStore {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

export interface Peer {
	clientId: number;
	self: boolean;
	name: string;
	colour: string;
	initials: string;
	presence: Presence;
}

export interface Follow {
	clientId: number;
	name: string;
	colour: string;
	/** 'summon': they asked everyone to come to them; 'follow': this person chose to. */
	reason: 'follow' | 'summon';
}

export interface PresenceOptions {
	awareness: Awareness;
	/** Where the name, colour and cursor toggle are remembered (localStorage in a browser). */
	storage?: KeyValueStore;
	/** Said to screen-reader users: someone brought everyone here, a followed person left. */
	announce?: (message: string) => void;
	now?: () => number;
}

function memoryStore(): KeyValueStore {
	const map = new Map<string, string>();
	return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

function sameTarget(a: PresenceTarget | null, b: PresenceTarget | null): boolean {
	return a === b || (!!a && !!b && a.kind === b.kind && a.id === b.id);
}

export class PresenceState {
	#awareness: Awareness;
	#storage: KeyValueStore;
	#announce: (message: string) => void;
	#now: () => number;

	#name = $state.raw<string | null>(null);
	#colour = $state.raw<string>(PRESENCE_PALETTE[0]);
	/** False until the colour is this browser's for good (stored): until then it may still move
	 * off a colour someone already on the board has. */
	#colourKept = false;
	/** The colour this person is shown in when it differs from their own (distinctColours). */
	#shownColour = $state.raw<string | null>(null);
	#asked = $state.raw(false);
	#showCursors = $state.raw(true);
	#others = $state.raw<Peer[]>([]);
	#marks = new PresenceMarks();
	#follow = $state.raw<Follow | null>(null);

	/** What goes out next; sent as a whole, at most once per PUBLISH_INTERVAL_MS. */
	#local: Presence;
	#sentAt = Number.NEGATIVE_INFINITY;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** The item a drag or lift here holds as `dragging`; a move's short mark never clears it. */
	#heldDrag: PresenceTarget | null = null;
	#moveMarkTimer: ReturnType<typeof setTimeout> | null = null;
	#sent = 0;
	#gone = false;

	/** Each peer's summon stamp as last seen: a new stamp is a new request to follow. */
	#summons = new Map<number, number | null>();
	#drags = new DragMemory(DRAG_MEMORY_MS);

	constructor(opts: PresenceOptions) {
		this.#awareness = opts.awareness;
		this.#storage = opts.storage ?? memoryStore();
		this.#announce = opts.announce ?? (() => {});
		this.#now = opts.now ?? Date.now;

		const name = this.#storage.getItem(PRESENCE_STORAGE.name)?.trim();
		this.#name = name ? name.slice(0, 40) : null;
		this.#asked = this.#storage.getItem(PRESENCE_STORAGE.asked) === '1';
		this.#showCursors = this.#storage.getItem(PRESENCE_STORAGE.cursors) !== 'off';
		const colour = this.#storage.getItem(PRESENCE_STORAGE.colour);
		if (colour && /^#[0-9a-f]{6}$/i.test(colour)) {
			this.#colour = colour;
			this.#colourKept = true;
		} else {
			this.#colour = pickColour(this.#awareness.clientID, this.#usedColours());
		}

		this.#local = { user: { name: this.displayName, colour: this.#colour }, ...EMPTY_PRESENCE };
		this.#awareness.on('change', this.#read);
		this.#flush();
		// A closed tab leaves at once; waiting for the awareness timeout would leave a ghost.
		if (typeof window !== 'undefined') {
			window.addEventListener('pagehide', this.#hide);
			window.addEventListener('pageshow', this.#show);
		}
	}

	#hide = () => this.leave();
	#show = () => this.rejoin();

	// ---- Who I am -------------------------------------------------------------------------

	get clientId(): number {
		return this.#awareness.clientID;
	}

	/** The name the person gave, or null while they are still a guest. */
	get name(): string | null {
		return this.#name;
	}

	get displayName(): string {
		return this.#name ?? guestName(this.#awareness.clientID);
	}

	get colour(): string {
		return this.#colour;
	}

	/** True while the name prompt should show: no name yet, and not turned down. */
	get needsName(): boolean {
		return this.#name === null && !this.#asked;
	}

	setName(name: string): void {
		const trimmed = name.trim().slice(0, 40);
		if (!trimmed) return;
		this.#name = trimmed;
		this.#storage.setItem(PRESENCE_STORAGE.name, trimmed);
		this.#keepColour();
		this.#publish({ user: { name: trimmed, colour: this.#colour } });
	}

	/** "Not now": stay a guest without being asked again on every board. */
	declineName(): void {
		this.#asked = true;
		this.#storage.setItem(PRESENCE_STORAGE.asked, '1');
	}

	get showCursors(): boolean {
		return this.#showCursors;
	}

	toggleCursors(): void {
		this.#showCursors = !this.#showCursors;
		this.#storage.setItem(PRESENCE_STORAGE.cursors, this.#showCursors ? 'on' : 'off');
	}

	// ---- What I tell the others -----------------------------------------------------------

	/** Messages actually sent so far (for tests and the throttle's proof). */
	get sent(): number {
		return this.#sent;
	}

	/**
	 * The pointer in board content coordinates, and the spot on the item under it, or null when
	 * it left the board.
	 */
	pointer(at: Presence['cursor']): void {
		const fraction = (f: number) => Math.round(Math.min(1, Math.max(0, f)) * 1000) / 1000;
		const cursor: Presence['cursor'] = at && {
			x: Math.round(at.x),
			y: Math.round(at.y),
			...(at.on && { on: { ...at.on, fx: fraction(at.on.fx), fy: fraction(at.on.fy) } })
		};
		if (JSON.stringify(cursor) === JSON.stringify(this.#local.cursor)) return;
		this.#publish({ cursor });
	}

	/** This screen's scroll position, for whoever follows it. */
	scrolled(at: { left: number; top: number }): void {
		const viewport = { left: Math.round(at.left), top: Math.round(at.top) };
		const old = this.#local.viewport;
		if (old && old.left === viewport.left && old.top === viewport.top) return;
		this.#publish({ viewport });
	}

	select(target: PresenceTarget | null): void {
		if (!sameTarget(target, this.#local.selection)) this.#publish({ selection: target });
	}

	/**
	 * Say that `target` is being edited and/or dragged here (false clears only what is still
	 * this target's, so one item's cleanup never wipes another's intent). Returns the cleanup,
	 * so a component can hand it straight to `$effect`.
	 */
	intent(target: PresenceTarget, on: { editing: boolean; dragging: boolean }): () => void {
		this.#setIntent('editing', target, on.editing);
		this.#setIntent('dragging', target, on.dragging);
		return () => {
			this.#setIntent('editing', target, false);
			this.#setIntent('dragging', target, false);
		};
	}

	/**
	 * A move made here, by any means. It says "dragging" for a moment, so the others credit it to
	 * this person ("Ana moved Billing…") as they do a drag: a move from the menu or by keyboard
	 * carried no name before, and was announced as "Someone moved…".
	 */
	moved(target: PresenceTarget): void {
		if (sameTarget(this.#heldDrag, target)) return;
		if (!sameTarget(this.#local.dragging, target)) this.#publish({ dragging: { ...target } });
		if (this.#moveMarkTimer) clearTimeout(this.#moveMarkTimer);
		this.#moveMarkTimer = setTimeout(() => {
			this.#moveMarkTimer = null;
			const current = this.#local.dragging;
			if (sameTarget(current, target) && !sameTarget(this.#heldDrag, target)) {
				this.#publish({ dragging: null });
			}
		}, MOVE_MARK_MS);
	}

	#setIntent(field: 'editing' | 'dragging', target: PresenceTarget, on: boolean): void {
		if (field === 'dragging') {
			if (on) this.#heldDrag = { ...target };
			else if (sameTarget(this.#heldDrag, target)) this.#heldDrag = null;
		}
		const current = this.#local[field];
		if (on && !sameTarget(current, target)) this.#publish({ [field]: { ...target } });
		else if (!on && sameTarget(current, target)) this.#publish({ [field]: null });
	}

	/** "Bring everyone here": everyone else starts following this person's view. */
	/** Tell the others this screen is presenting (or no longer is). */
	present(on: boolean): void {
		if (this.#local.presenting !== on) this.#publish({ presenting: on });
	}

	summon(): void {
		this.stopFollowing();
		this.#publish({ summon: { at: this.#now() } });
		this.#announce('Everyone else now follows your view.');
	}

	#publish(patch: Partial<Presence>): void {
		if (this.#gone) return;
		this.#local = { ...this.#local, ...patch };
		if (this.#timer) return;
		const wait = this.#sentAt + PUBLISH_INTERVAL_MS - this.#now();
		if (wait <= 0) this.#flush();
		else this.#timer = setTimeout(this.#flush, wait);
	}

	#flush = (): void => {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		if (this.#gone) return;
		this.#sentAt = this.#now();
		this.#sent++;
		this.#awareness.setLocalState({ ...this.#local });
	};

	/** The tab is going away (pagehide): leave now rather than after the awareness timeout. */
	leave(): void {
		if (this.#gone) return;
		this.#gone = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#awareness.setLocalState(null);
	}

	/** Back from the back/forward cache: say who we are again. */
	rejoin(): void {
		if (!this.#gone) return;
		this.#gone = false;
		this.#flush();
	}

	// ---- What the others tell me ----------------------------------------------------------

	/** Everyone on the board, this person first. */
	get peers(): Peer[] {
		const name = this.displayName;
		const me: Peer = {
			clientId: this.#awareness.clientID,
			self: true,
			name,
			colour: this.#shownColour ?? this.#colour,
			initials: initials(name),
			presence: this.#local
		};
		return [me, ...this.#others];
	}

	/** Everyone else. */
	get others(): Peer[] {
		return this.#others;
	}

	/** Who else has `kind`/`id` selected, is editing or dragging it; empty for nobody. */
	marksFor(kind: PresenceKind, id: string): Mark[] {
		return this.#marks.of(kind, id);
	}

	/**
	 * The name of the person whose drag a remote move of this item came from, if anyone was
	 * seen dragging it now or in the last DRAG_MEMORY_MS; else null ("Someone").
	 */
	movedBy(kind: PresenceKind, id: string): string | null {
		const key = targetKey(kind, id);
		for (const peer of this.others) {
			const dragging = peer.presence.dragging;
			if (dragging && targetKey(dragging.kind, dragging.id) === key) return peer.name;
		}
		return this.#drags.recent(key, this.#now());
	}

	/** The display name of the person on the client `clientId`, if they are here. */
	nameOfClient(clientId: number): string | null {
		return this.#others.find((peer) => peer.clientId === clientId)?.name ?? null;
	}

	#usedColours(): string[] {
		const used: string[] = [];
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID) continue;
			const presence = readPresence(state);
			if (presence) used.push(presence.user.colour);
		}
		return used;
	}

	#keepColour(): void {
		if (this.#colourKept) return;
		this.#colourKept = true;
		this.#storage.setItem(PRESENCE_STORAGE.colour, this.#colour);
	}

	/**
	 * Awareness calls this synchronously inside setLocalState, so it can run inside whatever
	 * effect published: untracked, so that effect does not come to depend on everyone's presence.
	 */
	#read = (): void => untrack(this.#readNow);

	#readNow = (): void => {
		const now = this.#now();
		const self = this.#awareness.clientID;
		const others: Peer[] = [];
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === self) continue;
			const presence = readPresence(state);
			if (!presence) continue;
			const { name, colour } = presence.user;
			others.push({ clientId, self: false, name, colour, initials: initials(name), presence });
		}

		// The first time others are seen, move off a colour one of them already has, then keep it.
		if (!this.#colourKept && others.length > 0) {
			const used = others.map((peer) => peer.colour.toLowerCase());
			if (used.includes(this.#colour.toLowerCase())) {
				this.#colour = pickColour(self, used);
				this.#publish({ user: { name: this.displayName, colour: this.#colour } });
			}
			this.#keepColour();
		}

		// Two people with the same initials are never shown in the same colour.
		const me = { clientId: self, initials: initials(this.displayName), colour: this.#colour };
		const shown = distinctColours([me, ...others]);
		for (const peer of others) peer.colour = shown.get(peer.clientId) ?? peer.colour;
		this.#shownColour = shown.get(self) ?? null;

		this.#drags.note(others, now, ({ presence: { dragging } }) =>
			dragging ? targetKey(dragging.kind, dragging.id) : null
		);
		this.#followSummons(others);

		this.#others = others;

		const follow = this.#follow;
		if (follow && !others.some((peer) => peer.clientId === follow.clientId)) {
			this.#follow = null;
			this.#announce(`${follow.name} left the board; you are no longer following.`);
		}
		this.#marks.update(others, this.#follow?.clientId);
	};

	/** A peer's new summon stamp makes this screen follow them. A stamp already there when
	 * they were first seen is old news: a latecomer was not summoned. */
	#followSummons(others: Peer[]): void {
		const present = new Set<number>();
		for (const peer of others) {
			present.add(peer.clientId);
			const at = peer.presence.summon?.at ?? null;
			const known = this.#summons.has(peer.clientId);
			const before = this.#summons.get(peer.clientId) ?? null;
			this.#summons.set(peer.clientId, at);
			if (known && at !== null && at !== before) {
				this.#follow = {
					clientId: peer.clientId,
					name: peer.name,
					colour: peer.colour,
					reason: 'summon'
				};
				this.#announce(`${peer.name} brought everyone here. You are following their view.`);
			}
		}
		for (const clientId of this.#summons.keys()) {
			if (!present.has(clientId)) this.#summons.delete(clientId);
		}
	}

	// ---- Following ------------------------------------------------------------------------

	get following(): Follow | null {
		return this.#follow;
	}

	/** The person this screen follows is presenting: this screen shows the board as they do. */
	get followingPresenter(): boolean {
		const follow = this.#follow;
		if (!follow) return false;
		return this.#others.find((p) => p.clientId === follow.clientId)?.presence.presenting ?? false;
	}

	/** Follow a person's view (and see their selection stand out) until stopFollowing(). */
	follow(clientId: number): void {
		const peer = this.others.find((p) => p.clientId === clientId);
		if (!peer) return;
		this.#follow = { clientId, name: peer.name, colour: peer.colour, reason: 'follow' };
		this.#marks.update(this.others, clientId);
	}

	stopFollowing(): void {
		if (!this.#follow) return;
		this.#follow = null;
		this.#marks.update(this.others, undefined);
	}

	/** The scroll position to show while following, or null. */
	get followViewport(): { left: number; top: number } | null {
		const follow = this.#follow;
		if (!follow) return null;
		return this.#others.find((p) => p.clientId === follow.clientId)?.presence.viewport ?? null;
	}

	destroy(): void {
		if (this.#moveMarkTimer) clearTimeout(this.#moveMarkTimer);
		this.#awareness.off('change', this.#read);
		if (typeof window !== 'undefined') {
			window.removeEventListener('pagehide', this.#hide);
			window.removeEventListener('pageshow', this.#show);
		}
		if (!this.#colourKept) this.#keepColour();
		this.leave();
	}
}
