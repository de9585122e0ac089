/** One choice in an item's ⋯ menu. */
export interface MenuEntry {
	label: string;
	onselect: () => void;
	/** Entries are listed under their group's heading, in the order they first appear. */
	group?: string;
	danger?: boolean;
}
