/**
 * The page's entry, kept tiny: it starts the first page's reads at once, then loads the app
 * (React and all) as a chunk of its own — the reads travel while the app is parsed.
 */
import { startEarly } from './app/early';

startEarly(window.location.hash);
void import('./main');
