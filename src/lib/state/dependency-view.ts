/**
 * Dependencies as people read them: where each card is (title, period, lane, program), a
 * sentence for each dependency (the text equivalent of its line, read by screen readers and
 * shown in the list view), which lines the board shows under the all / problems / none switch,
 * and the path of a line between two measured cards. Pure functions over a snapshot.
 */
import type { BoardSnapshot, DependencyHealth, DependencyView, Preview } from '$lib/model/index.ts';

export interface CardPlace {
	id: string;
	title: string;
	periodId: string;
	periodName: string;
	/** Column of its period, 0 first. */
	periodIndex: number;
	laneId: string;
	laneName: string;
	programId: string;
	programName: string;
}

/** Each lane view's places, with what they were worked out from (lane views are reused). */
const lanePlaces = new WeakMap<
	object,
	{ periods: readonly unknown[]; programId: string; programName: string; places: CardPlace[] }
>();

/**
 * Every card on the board by id, with where it sits. A lane whose view, program and periods are
 * the ones of the last call keeps its places; in a lane that changed, a card whose place reads
 * the same as in `previous` keeps that object. A change then rebuilds the map, not 5,000 places.
 */
export function cardPlaces(
	snapshot: BoardSnapshot,
	previous?: ReadonlyMap<string, CardPlace>
): Map<string, CardPlace> {
	let periods: Map<string, { name: string; index: number }> | null = null;
	const out = new Map<string, CardPlace>();
	for (const program of snapshot.programs) {
		const programName = program.name || 'Untitled program';
		for (const lane of program.lanes) {
			const cached = lanePlaces.get(lane);
			if (
				cached &&
				cached.periods === snapshot.periods &&
				cached.programId === program.id &&
				cached.programName === programName
			) {
				for (const place of cached.places) out.set(place.id, place);
				continue;
			}
			periods ??= new Map(snapshot.periods.map((p, i) => [p.id, { name: p.name, index: i }]));
			const places: CardPlace[] = [];
			const laneName = lane.name || 'Untitled lane';
			for (const [periodId, cards] of Object.entries(lane.cells)) {
				const period = periods.get(periodId);
				const periodName = period?.name || 'an unnamed period';
				const periodIndex = period?.index ?? -1;
				for (const card of cards) {
					const title = card.title || 'Untitled card';
					const was = previous?.get(card.id);
					const same =
						was &&
						was.title === title &&
						was.periodId === periodId &&
						was.periodName === periodName &&
						was.periodIndex === periodIndex &&
						was.laneId === lane.id &&
						was.laneName === laneName &&
						was.programId === program.id &&
						was.programName === programName;
					const place = same
						? was
						: {
								id: card.id,
								title,
								periodId,
								periodName,
								periodIndex,
								laneId: lane.id,
								laneName,
								programId: program.id,
								programName
							};
					places.push(place);
					out.set(card.id, place);
				}
			}
			lanePlaces.set(lane, {
				periods: snapshot.periods,
				programId: program.id,
				programName,
				places
			});
		}
	}
	return out;
}

/** The word for each health: what the line's colour and dashes mean. */
export const HEALTH_WORDS: Record<DependencyHealth, string> = {
	red: 'blocked',
	amber: 'tight',
	green: 'on track'
};

/**
 * "Card payments live needs Data mapping signed off: blocked, planned in Q1 but Data mapping
 * signed off is in Q2". `health` defaults to the dependency's own (a preview passes another).
 */
export function describeDependency(
	dep: Pick<DependencyView, 'pos' | 'health' | 'cycle'>,
	places: ReadonlyMap<string, CardPlace>,
	health: DependencyHealth = dep.health
): string {
	const from = places.get(dep.pos.from);
	const to = places.get(dep.pos.to);
	if (!from || !to) return 'A dependency between cards that are not on the board';
	const why =
		health === 'red'
			? `planned in ${to.periodName} but ${from.title} is in ${from.periodName}`
			: health === 'amber'
				? `both in ${to.periodName}`
				: `${from.title} in ${from.periodName}, ${to.title} in ${to.periodName}`;
	const cycle = dep.cycle ? '; part of a cycle' : '';
	return `${to.title} needs ${from.title}: ${HEALTH_WORDS[health]}, ${why}${cycle}`;
}

export const LINE_FILTERS = ['problems', 'all', 'none'] as const;
export type LineFilter = (typeof LINE_FILTERS)[number];

/** A line to draw: the dependency, the health it shows, and whether that is a drag preview. */
export interface Line {
	dep: DependencyView;
	health: DependencyHealth;
	preview: boolean;
	description: string;
}

/**
 * Which dependencies the board draws. `problems` (the default): red, amber and cycles, plus
 * every dependency of the selected card, the selected line, and any a drag would change. `all`:
 * every one. `none`: none, except those of the selected card and a drag's changes, so selecting
 * a card still answers "what does this need?".
 */
export function visibleLines(
	deps: readonly DependencyView[],
	opts: {
		filter: LineFilter;
		places: ReadonlyMap<string, CardPlace>;
		card?: string | null;
		selected?: string | null;
		preview?: Preview | null;
	}
): Line[] {
	const changed = opts.preview?.dependencies ?? {};
	const out: Line[] = [];
	for (const dep of deps) {
		const next = changed[dep.id];
		const mine = opts.card != null && (dep.pos.from === opts.card || dep.pos.to === opts.card);
		const show =
			opts.filter === 'all' ||
			mine ||
			next !== undefined ||
			dep.id === opts.selected ||
			(opts.filter === 'problems' && (dep.health !== 'green' || dep.cycle));
		if (!show) continue;
		const health = next ?? dep.health;
		out.push({
			dep,
			health,
			preview: next !== undefined,
			description: describeDependency(dep, opts.places, health)
		});
	}
	return out;
}

/** One row of the dependency list. */
export interface DependencyRow {
	id: string;
	from: CardPlace;
	to: CardPlace;
	health: DependencyHealth;
	cycle: boolean;
	acrossPrograms: boolean;
	description: string;
}

/** The list view: every dependency on the board, red first, optionally only problems or only across programs. */
export function dependencyRows(
	deps: readonly DependencyView[],
	places: ReadonlyMap<string, CardPlace>,
	opts: { problemsOnly?: boolean; acrossPrograms?: boolean } = {}
): DependencyRow[] {
	const order: Record<DependencyHealth, number> = { red: 0, amber: 1, green: 2 };
	const rows: DependencyRow[] = [];
	for (const dep of deps) {
		const from = places.get(dep.pos.from);
		const to = places.get(dep.pos.to);
		if (!from || !to) continue;
		const across = from.programId !== to.programId;
		if (opts.problemsOnly && dep.health === 'green' && !dep.cycle) continue;
		if (opts.acrossPrograms && !across) continue;
		rows.push({
			id: dep.id,
			from,
			to,
			health: dep.health,
			cycle: dep.cycle,
			acrossPrograms: across,
			description: describeDependency(dep, places)
		});
	}
	return rows.sort((a, b) => order[a.health] - order[b.health] || a.id.localeCompare(b.id));
}

/** The dependencies a card has: what it needs (its prerequisites) and what it blocks. */
export function dependenciesOfCard(
	deps: readonly DependencyView[],
	cardId: string
): { needs: DependencyView[]; blocks: DependencyView[] } {
	return {
		needs: deps.filter((d) => d.pos.to === cardId),
		blocks: deps.filter((d) => d.pos.from === cardId)
	};
}

/** Cards a card could depend on, best matches first: title words, then lane and period. */
export function pickerOptions(
	places: ReadonlyMap<string, CardPlace>,
	cardId: string,
	query: string,
	limit = 50
): CardPlace[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	const scored: { place: CardPlace; score: number }[] = [];
	for (const place of places.values()) {
		if (place.id === cardId) continue;
		const title = place.title.toLowerCase();
		const rest = `${place.laneName} ${place.programName} ${place.periodName}`.toLowerCase();
		let score = 0;
		let ok = true;
		for (const word of words) {
			if (title.startsWith(word)) score += 3;
			else if (title.includes(word)) score += 2;
			else if (rest.includes(word)) score += 1;
			else ok = false;
		}
		if (ok) scored.push({ place, score });
	}
	scored.sort(
		(a, b) =>
			b.score - a.score ||
			a.place.periodIndex - b.place.periodIndex ||
			a.place.title.localeCompare(b.place.title)
	);
	return scored.slice(0, limit).map((s) => s.place);
}

export interface Box {
	left: number;
	top: number;
	right: number;
	bottom: number;
}

/** A stretch of a line's curve, and how far along the line it starts (its dash offset). */
export interface LinePiece {
	d: string;
	offset: number;
}

/**
 * How long, at most, one stretch of a dashed line is. A browser dashes a path along its whole
 * length every time it rasters any tile the path crosses, so one 4,000 px dashed curve is
 * dashed again for each of the dozens of tiles it crosses; drawn as stretches of about a
 * tile's size, each tile dashes only what lies on it. bench:ui measured the card drag's p95
 * frame at 250–400 ms with whole dashed lines on the big board, 67–100 ms with stretches.
 */
export const PIECE_LENGTH = 240;

type Point = [number, number];
const lerp = (p: Point, q: Point, t: number): Point => [
	p[0] + (q[0] - p[0]) * t,
	p[1] + (q[1] - p[1]) * t
];

/** The part of the cubic p0..p3 between t0 and t1 (de Casteljau, twice). */
function subCubic(
	p: [Point, Point, Point, Point],
	t0: number,
	t1: number
): [Point, Point, Point, Point] {
	const split = (c: [Point, Point, Point, Point], t: number) => {
		const ab = lerp(c[0], c[1], t);
		const bc = lerp(c[1], c[2], t);
		const cd = lerp(c[2], c[3], t);
		const abc = lerp(ab, bc, t);
		const bcd = lerp(bc, cd, t);
		const at = lerp(abc, bcd, t);
		return { left: [c[0], ab, abc, at] as typeof c, right: [at, bcd, cd, c[3]] as typeof c };
	};
	const head = t1 < 1 ? split(p, t1).left : p;
	return t0 > 0 ? split(head, t0 / t1).right : head;
}

function cubicAt(p: [Point, Point, Point, Point], t: number): Point {
	const u = 1 - t;
	const a = u * u * u;
	const b = 3 * u * u * t;
	const c = 3 * u * t * t;
	const d = t * t * t;
	return [
		a * p[0][0] + b * p[1][0] + c * p[2][0] + d * p[3][0],
		a * p[0][1] + b * p[1][1] + c * p[2][1] + d * p[3][1]
	];
}

/**
 * The curve from the prerequisite's box `a` to the dependent's box `b`: out of a's right side
 * into b's left when b is to the right, else side to side the short way, so a red line (b left
 * of a) visibly runs backwards. Returns the SVG path, the midpoint for its marker, and the same
 * curve as stretches of at most about PIECE_LENGTH for drawing it dashed (see there).
 */
export function linePath(
	a: Box,
	b: Box
): { d: string; mid: { x: number; y: number }; pieces: LinePiece[] } {
	const ay = (a.top + a.bottom) / 2;
	const by = (b.top + b.bottom) / 2;
	let ax: number;
	let bx: number;
	let bend: number;
	if (b.left >= a.right) {
		ax = a.right;
		bx = b.left;
		bend = Math.max(24, (bx - ax) / 2);
	} else if (b.right <= a.left) {
		ax = a.left;
		bx = b.right;
		bend = -Math.max(24, (ax - bx) / 2);
	} else {
		// Stacked in one column: out of the right side and back in, looping beside them.
		ax = a.right;
		bx = b.right;
		bend = 40;
	}
	const c1 = ax + bend;
	const c2 = b.left >= a.right || b.right <= a.left ? bx - bend : bx + bend;
	const r = (n: number) => Math.round(n * 10) / 10;
	const curve = (p: [Point, Point, Point, Point]) =>
		`M${r(p[0][0])},${r(p[0][1])} C${r(p[1][0])},${r(p[1][1])} ${r(p[2][0])},${r(p[2][1])} ${r(p[3][0])},${r(p[3][1])}`;
	const control: [Point, Point, Point, Point] = [
		[ax, ay],
		[c1, ay],
		[c2, by],
		[bx, by]
	];
	const d = curve(control);
	// The cubic's point at t = 0.5.
	const mid = { x: r((ax + 3 * c1 + 3 * c2 + bx) / 8), y: r((ay + by) / 2) };

	// Its length, from a polyline close enough for dash offsets (a few tenths of a pixel).
	const SAMPLES = 64;
	const along = [0];
	let previous = control[0];
	for (let i = 1; i <= SAMPLES; i++) {
		const point = cubicAt(control, i / SAMPLES);
		along.push(along[i - 1]! + Math.hypot(point[0] - previous[0], point[1] - previous[1]));
		previous = point;
	}
	const count = Math.min(SAMPLES, Math.max(1, Math.ceil(along[SAMPLES]! / PIECE_LENGTH)));
	if (count === 1) return { d, mid, pieces: [{ d, offset: 0 }] };
	const pieces: LinePiece[] = [];
	// Cut at sampled points, so each stretch's offset is the measured length up to its start.
	const cut = (i: number) => Math.round((i * SAMPLES) / count);
	for (let i = 0; i < count; i++) {
		pieces.push({
			d: curve(subCubic(control, cut(i) / SAMPLES, cut(i + 1) / SAMPLES)),
			offset: r(along[cut(i)]!)
		});
	}
	return { d, mid, pieces };
}
