/**
 * Whether the screen is narrower than GOV.UK's tablet breakpoint (40.0625em), for components that
 * fold away on a phone. False on the server and until the page is hydrated, so without JavaScript
 * everything shows unfolded. Call it while a component initialises.
 */
export function narrowScreen(): { readonly current: boolean } {
	let narrow = $state(false);
	$effect(() => {
		const phone = window.matchMedia('(max-width: 40.0525em)');
		const check = () => (narrow = phone.matches);
		check();
		phone.addEventListener('change', check);
		return () => phone.removeEventListener('change', check);
	});
	return {
		get current() {
			return narrow;
		}
	};
}
