/**
 * Presence: what each person on a board tells the others through Yjs awareness. It is not part
 * of the document (nothing here is stored); it lives beside it so the UI and the relay agree on
 * one shape. Peers' states arrive from the network, so every read goes through `readPresence`,
 * which drops what does not validate instead of trusting it.
 *
 * The relay limits a viewer's state to VIEWER_FIELDS: a read-only guest may show who they are,
 * where they point and what they look at, but not claim to be editing or moving anything, nor
 * summon the room.
 */
import * as v from 'valibot';

export const PRESENCE_KINDS = ['program', 'lane', 'card', 'period', 'objective', 'risk'] as const;
export type PresenceKind = (typeof PRESENCE_KINDS)[number];

const Name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40));
const Colour = v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/i));
const Coordinate = v.pipe(v.number(), v.finite(), v.minValue(-1e6), v.maxValue(1e6));
const Target = v.object({
	kind: v.picklist(PRESENCE_KINDS),
	id: v.pipe(v.string(), v.minLength(1), v.maxLength(64))
});
const Timestamp = v.pipe(v.number(), v.finite(), v.minValue(0));
const Fraction = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));

/** Each field validates on its own: one bad field is dropped, not the whole person. */
export const PRESENCE_FIELDS = {
	/** Who: a display name they chose, and a colour picked for them. */
	user: v.object({ name: Name, colour: Colour }),
	/**
	 * The pointer, in board coordinates (px from the board's top-left content corner), and, when
	 * it is over an item, where on that item (fractions of its box): screens whose columns are
	 * sized differently place it on the same spot of the same card.
	 */
	cursor: v.nullable(
		v.object({
			x: Coordinate,
			y: Coordinate,
			on: v.optional(v.object({ ...Target.entries, fx: Fraction, fy: Fraction }))
		})
	),
	/** The item they have selected (focused). */
	selection: v.nullable(Target),
	/** The scroll position of their board, for people following them. */
	viewport: v.nullable(v.object({ left: Coordinate, top: Coordinate })),
	/** The item whose text they are typing into. */
	editing: v.nullable(Target),
	/** The item they are dragging. */
	dragging: v.nullable(Target),
	/** "Bring everyone here": a request (stamped, so it can be repeated) for all to follow. */
	summon: v.nullable(v.object({ at: Timestamp })),
	/** They show the board in presentation mode: people following them see it that way too. */
	presenting: v.boolean()
} as const;

export type PresenceField = keyof typeof PRESENCE_FIELDS;
export type Presence = {
	[K in PresenceField]: v.InferOutput<(typeof PRESENCE_FIELDS)[K]>;
};
export type PresenceTarget = v.InferOutput<typeof Target>;

/** The fields a viewer's awareness state may carry; the relay strips the rest. */
export const VIEWER_FIELDS: readonly PresenceField[] = ['user', 'cursor', 'selection', 'viewport'];

export const EMPTY_PRESENCE: Omit<Presence, 'user'> = {
	cursor: null,
	selection: null,
	viewport: null,
	editing: null,
	dragging: null,
	summon: null,
	presenting: false
};

/**
 * A peer's awareness state as Presence, or null when it has no valid `user` (not a Railyard
 * participant, or garbage). Any other field that does not validate reads as null.
 */
export function readPresence(state: unknown): Presence | null {
	if (!state || typeof state !== 'object') return null;
	const raw = state as Record<string, unknown>;
	const user = v.safeParse(PRESENCE_FIELDS.user, raw.user);
	if (!user.success) return null;
	const presence: Presence = { user: user.output, ...EMPTY_PRESENCE };
	for (const key of Object.keys(EMPTY_PRESENCE) as Exclude<PresenceField, 'user'>[]) {
		const parsed = v.safeParse(PRESENCE_FIELDS[key], raw[key]);
		// Each key's schema matches its own slot; TypeScript cannot see that through the loop.
		if (parsed.success) (presence as Record<string, unknown>)[key] = parsed.output;
	}
	return presence;
}

/** `state` with only the fields a viewer may publish (the relay's filter). */
export function viewerPresence(state: unknown): Record<string, unknown> | null {
	if (!state || typeof state !== 'object') return null;
	const raw = state as Record<string, unknown>;
	const kept: Record<string, unknown> = {};
	for (const key of VIEWER_FIELDS) if (key in raw) kept[key] = raw[key];
	return kept;
}
