/**
 * `npm run bench:ui`: the board UI on a big board (20 programs, 300 lanes, 12 periods, 5,000
 * cards) in Chromium against the production build, with the sample board measured in the same
 * run as the baseline: this machine is shared and noisy, so a ratio says more than a figure.
 *
 * Environment: BENCH_UI_RUNS=3 (first-render runs per board), BENCH_UI_JSON=path (raw figures),
 * BENCH_UI_PLANNING=0 (skip the dependency measures: for timing a build from before them on the
 * same board).
 */
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { readBoard } from '../../src/lib/model/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { startRelayProcess } from '../helpers/relay-process.ts';
import { createBoardOver, ownerToken } from '../helpers/relay.ts';
import { BIG, buildBoard } from './board.ts';
import { watchedDependency } from './watched.ts';
import {
	cardDragFrames,
	compositedLayers,
	dragFrames,
	filterAndFind,
	firstRender,
	median,
	openPage,
	percentile,
	remoteLinePaint,
	repeatVisit,
	remotePaint
} from './measure.ts';

const RUNS = Number(process.env.BENCH_UI_RUNS) || 3;
const PLANNING = process.env.BENCH_UI_PLANNING !== '0';
// The issue's targets. Frames are measured as rAF-to-rAF intervals, which at 60 Hz cannot go
// below one vsync (16.7 ms): "< 16 ms" is read as "no frame missed", a p95 within one vsync
// plus the timer's jitter.
// "Instant" for find and filter: the result is on screen within about three frames.
const TARGETS = { render: 1500, repeat: 600, drag: 17.5, paint: 50, typing: 50 };

const relay = await startRelayProcess({ env: { LOG_LEVEL: 'warn' } }).catch(() =>
	startRelayProcess()
);
const syncUrl = `${relay.url.replace(/^http/, 'ws')}/sync`;
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
});

try {
	// Made through the API like any script would; the helpers keep each owner link's token.
	const sampleId = await createBoardOver(relay.url, 'sample', 'Sample');
	const bigId = await createBoardOver(relay.url, 'empty', 'Big board');
	const bigClient = await buildBoard(syncUrl, bigId, BIG);
	const sampleClient = connectClient(syncUrl, sampleId);
	await sampleClient.synced;

	const boards = {
		sample: { id: sampleId, client: sampleClient },
		big: { id: bigId, client: bigClient }
	};
	const results: Record<string, Record<string, number>> = {};
	for (const [name, board] of Object.entries(boards)) {
		const snapshot = readBoard(board.client.doc);
		const lanes = snapshot.programs.flatMap((p) => p.lanes);
		const url = `${relay.url}/b/${board.id}#token=${encodeURIComponent(ownerToken(board.id))}`;

		const renders: { screen: number; all: number }[] = [];
		for (let i = 0; i < RUNS; i++) renders.push(await firstRender(browser, url, lanes.length));
		// Opened again from this browser's copy, with a remote change to merge (a new progress,
		// 1 %, 2 %…: never a multiple of 5 like the board's own, so the text is unmistakable).
		const changed = snapshot.programs[0]!.lanes[1]!;
		const repeats: Awaited<ReturnType<typeof repeatVisit>>[] = [];
		for (let i = 0; i < RUNS; i++) {
			repeats.push(
				await repeatVisit(browser, url, lanes.length, {
					client: board.client,
					laneId: changed.id,
					laneName: changed.name,
					progress: i + 1
				})
			);
		}
		for (const visit of repeats) {
			if (!visit.sameLane) throw new Error(`${name}: the merge rebuilt the first screen`);
		}

		const page = await openPage(browser, url, lanes.length);
		const first = snapshot.programs[0]!.lanes;
		const frames = await dragFrames(page, first[0]!.name, first[first.length - 1]!.name);
		// The drop moved the first lane; the remote change goes to another lane in view.
		const watched = snapshot.programs[0]!.lanes[1]!;
		const paints = await remotePaint(page, board.client, watched.id, watched.name, 15);
		// A card with dependencies dragged across its lane's periods, previewing all the way.
		const line = watchedDependency(snapshot);
		const cardDrag = PLANNING
			? await cardDragFrames(page, line.card.id, line.card.laneId, line.lastPeriod)
			: { frames: [NaN], previewSeen: true };
		if (!cardDrag.previewSeen)
			throw new Error(`${name}: no preview was shown during the card drag`);
		// With the dragged card's programs in view.
		const layers = await compositedLayers(page);
		const { fromSend: linePaints, fromReceipt: lineReceipts } = PLANNING
			? await remoteLinePaint(page, board.client, line.card, line.dep.id, 15)
			: { fromSend: [NaN], fromReceipt: [NaN] };
		const typed = await filterAndFind(page, ['b', 'bi', 'bil', 'bill', 'billing', 'lane 1', 'x']);
		await page.context().close();

		results[name] = {
			screenMs: median(renders.map((r) => r.screen)),
			renderMs: median(renders.map((r) => r.all)),
			repeatScreenMs: median(repeats.map((r) => r.screen)),
			repeatMergedMs: median(repeats.map((r) => r.merged)),
			repeatCacheMs: median(repeats.map((r) => r.cacheLoaded)),
			repeatSyncedMs: median(repeats.map((r) => r.synced)),
			repeatShift: Math.max(...repeats.map((r) => r.shift)),
			repeatBeforeNetwork: repeats.filter((r) => r.screen < r.synced).length,
			dragP95Ms: percentile(frames, 95),
			dragMedianMs: median(frames),
			dragFrames: frames.length,
			longFrames: frames.filter((f) => f > 50).length,
			layers,
			paintMedianMs: median(paints),
			paintP95Ms: percentile(paints, 95),
			cardDragP95Ms: percentile(cardDrag.frames, 95),
			cardDragMedianMs: median(cardDrag.frames),
			linePaintMedianMs: median(linePaints),
			linePaintP95Ms: percentile(linePaints, 95),
			// The first moves run the page's code for a change before V8 has optimised it (a
			// timeline shows the task shrink from ~50 to ~27 ms over five moves): shown apart.
			linePaintWarmMs: median(linePaints.slice(5)),
			lineReceiptMedianMs: median(lineReceipts),
			lineReceiptP95Ms: percentile(lineReceipts, 95),
			dependencies: snapshot.dependencies.length,
			filterMedianMs: median(typed.filter),
			filterMaxMs: Math.max(...typed.filter),
			findMedianMs: median(typed.find),
			findMaxMs: Math.max(...typed.find)
		};
	}

	const big = results.big!;
	const base = results.sample!;
	const row = (label: string, key: string, target?: number) => {
		const ratio = big[key]! / base[key]!;
		const verdict = target === undefined ? '' : big[key]! <= target ? 'meets' : 'misses';
		return `${label.padEnd(34)} ${big[key]!.toFixed(1).padStart(8)} ${base[key]!.toFixed(1).padStart(9)} ${ratio.toFixed(2).padStart(7)}x  ${target === undefined ? '' : `<= ${target}`.padEnd(8)} ${verdict}`;
	};
	console.log(
		`\nBoard UI on ${BIG.programs} programs, ${BIG.programs * BIG.lanesPerProgram} lanes, ${BIG.periods} periods, ${BIG.cards} cards, ${big.dependencies} dependencies; baseline: the sample board (${base.dependencies}).\n`
	);
	console.log(
		`${'measure (ms)'.padEnd(34)} ${'big'.padStart(8)} ${'sample'.padStart(9)} ${'ratio'.padStart(8)}  target`
	);
	console.log(row(`first screen complete (median of ${RUNS})`, 'screenMs', TARGETS.render));
	console.log(row(`every lane in the DOM (median of ${RUNS})`, 'renderMs'));
	console.log(row('repeat visit: first screen (median)', 'repeatScreenMs', TARGETS.repeat));
	console.log(row('repeat visit: cached copy loaded', 'repeatCacheMs'));
	console.log(row('repeat visit: relay synced', 'repeatSyncedMs'));
	console.log(row('repeat visit: remote change merged', 'repeatMergedMs'));
	console.log(row('drag: p95 frame interval', 'dragP95Ms', TARGETS.drag));
	console.log(row('drag: median frame interval', 'dragMedianMs'));
	console.log(row('remote change painted (median)', 'paintMedianMs', TARGETS.paint));
	console.log(row('remote change painted (p95)', 'paintP95Ms'));
	console.log(row('card drag, preview on: p95 frame', 'cardDragP95Ms', TARGETS.drag));
	console.log(row('card drag, preview on: median', 'cardDragMedianMs'));
	// From the remote client's call (its own work on the move and the relay's hop included), and
	// from the update reaching the page: the issue's "after receipt".
	console.log(row('remote move, line redrawn (median)', 'linePaintMedianMs'));
	console.log(row('remote move, line redrawn (p95)', 'linePaintP95Ms'));
	console.log(row('remote move, moves 6-15 (median)', 'linePaintWarmMs'));
	console.log(row('  after receipt (median)', 'lineReceiptMedianMs', TARGETS.paint));
	console.log(row('  after receipt (p95)', 'lineReceiptP95Ms'));
	console.log(row('filter: keystroke to painted (median)', 'filterMedianMs', TARGETS.typing));
	console.log(row('filter: keystroke to painted (worst)', 'filterMaxMs'));
	console.log(row('find: keystroke to matches (median)', 'findMedianMs', TARGETS.typing));
	console.log(row('find: keystroke to matches (worst)', 'findMaxMs'));
	console.log(
		`\nDrag frames sampled: ${big.dragFrames} (big), ${base.dragFrames} (sample); frames over 50 ms: ${big.longFrames} / ${base.longFrames}.`
	);
	console.log(
		`Compositor layers with the card drag's programs in view: ${big.layers} (big), ${base.layers} (sample).`
	);
	console.log(
		`Repeat visits shown before the relay synced: ${big.repeatBeforeNetwork} of ${RUNS} (big), ${base.repeatBeforeNetwork} of ${RUNS} (sample); layout shift after the first screen, worst: ${big.repeatShift!.toFixed(3)} (big), ${base.repeatShift!.toFixed(3)} (sample).`
	);
	if (process.env.BENCH_UI_JSON) {
		fs.writeFileSync(process.env.BENCH_UI_JSON, JSON.stringify(results, null, 2));
	}
	bigClient.destroy();
	sampleClient.destroy();
} finally {
	await browser.close();
	await relay.stop();
	fs.rmSync(relay.dataDir, { recursive: true, force: true });
}
