import { describe, expect, it } from 'vitest';
import {
	capacityIn,
	cellLoad,
	cycleEdges,
	dependencyHealth,
	loadOf,
	predictability,
	programLoad
} from './planning.ts';

describe('dependencyHealth', () => {
	it('is red when the dependent sits in an earlier period than its prerequisite', () => {
		expect(dependencyHealth(2, 1)).toBe('red');
	});
	it('is amber in the same period, green for start-to-start', () => {
		expect(dependencyHealth(1, 1)).toBe('amber');
		expect(dependencyHealth(1, 1, 'start-to-start')).toBe('green');
	});
	it('is green when the dependent comes later', () => {
		expect(dependencyHealth(0, 3)).toBe('green');
		expect(dependencyHealth(2, 1, 'start-to-start')).toBe('red');
	});
});

describe('cycleEdges', () => {
	it('flags every edge of a cycle and nothing else', () => {
		const edges = [
			{ from: 'a', to: 'b' },
			{ from: 'b', to: 'c' },
			{ from: 'c', to: 'a' },
			{ from: 'c', to: 'd' },
			{ from: 'x', to: 'y' },
			{ from: 'y', to: 'x' }
		];
		expect([...cycleEdges(edges)].sort()).toEqual([0, 1, 2, 4, 5]);
	});
	it('finds none in a chain, however long', () => {
		const chain = Array.from({ length: 20_000 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
		expect(cycleEdges(chain).size).toBe(0);
		chain.push({ from: 'n20000', to: 'n0' });
		expect(cycleEdges(chain).size).toBe(20_001);
	});
});

describe('load and capacity', () => {
	const lane = {
		capacity: 20,
		periodCapacity: { q2: 10 },
		cells: {
			q1: [{ estimate: 13 }, { estimate: 12 }],
			q2: [{ estimate: 0.1 }, { estimate: 0.2 }, { estimate: null }]
		}
	};
	it('sums estimates against the lane capacity, with the percentage', () => {
		expect(cellLoad(lane, 'q1')).toEqual({ load: 25, capacity: 20, percent: 125, over: true });
	});
	it('uses the period override, and reads decimals as written', () => {
		expect(capacityIn(lane, 'q2')).toBe(10);
		expect(cellLoad(lane, 'q2')).toEqual({ load: 0.3, capacity: 10, percent: 3, over: false });
		expect(cellLoad(lane, 'q3')).toEqual({ load: 0, capacity: 20, percent: 0, over: false });
	});
	it('has no percentage without a capacity, and any load over a capacity of 0 is over', () => {
		expect(loadOf(5, null)).toEqual({ load: 5, capacity: null, percent: null, over: false });
		expect(loadOf(5, 0)).toEqual({ load: 5, capacity: 0, percent: null, over: true });
	});
	it('rolls a program up per period; a lane without capacity adds load only', () => {
		const other = { capacity: null, periodCapacity: {}, cells: { q1: [{ estimate: 5 }] } };
		expect(programLoad({ lanes: [lane, other] }, 'q1')).toEqual({
			load: 30,
			capacity: 20,
			percent: 150,
			over: true
		});
		expect(programLoad({ lanes: [other] }, 'q1').capacity).toBeNull();
	});
});

describe('predictability', () => {
	const objective = (
		commitment: 'committed' | 'stretch',
		planned: number | null,
		actual: number | null
	) => ({ commitment, planned, actual });

	it('is actual over planned of committed objectives: 8 + 5 planned, 8 + 3 actual is 84.6 %', () => {
		expect(predictability([objective('committed', 8, 8), objective('committed', 5, 3)])).toEqual({
			planned: 13,
			actual: 11,
			percent: 84.6,
			committed: 2,
			stretch: 0,
			scored: 2
		});
	});
	it('counts a stretch objective toward actual, not planned', () => {
		const p = predictability([
			objective('committed', 8, 8),
			objective('committed', 5, 3),
			objective('stretch', 4, 2)
		]);
		expect(p).toMatchObject({ planned: 13, actual: 13, percent: 100, stretch: 1 });
	});
	it('has no percentage with no committed objectives, or only stretch ones', () => {
		expect(predictability([]).percent).toBeNull();
		expect(predictability([objective('stretch', 6, 6)])).toMatchObject({
			planned: 0,
			actual: 6,
			percent: null
		});
	});
	it('reports actual above planned as it is', () => {
		expect(predictability([objective('committed', 5, 8)]).percent).toBe(160);
	});
	it('counts unscored objectives as zero', () => {
		expect(
			predictability([objective('committed', null, null), objective('committed', 4, null)])
		).toMatchObject({ planned: 4, actual: 0, percent: 0 });
	});
	it('says how many objectives have an actual value, so "not yet scored" differs from 0 %', () => {
		const p = predictability([
			objective('committed', 8, null),
			objective('stretch', 3, 0),
			objective('committed', 5, null)
		]);
		expect(p).toMatchObject({ planned: 13, actual: 0, percent: 0, scored: 1 });
		expect(predictability([objective('committed', 8, null)]).scored).toBe(0);
	});
});
