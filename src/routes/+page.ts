import { loadHeldLinks } from '$lib/state/held-boards.svelte.ts';
import type { PageLoad } from './$types';

// Boards are private: this browser lists the boards it holds a link for, and nothing else.
export const load: PageLoad = () => ({ links: loadHeldLinks() });
