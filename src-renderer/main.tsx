import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { appTransport, earlyReads } from './app/early';
import './styles/app.css';
import './styles/admin.css';
import './styles/setup.css';
import './features/year/year.css';

// The first page's reads (boot.ts) are usually back by now; if not, wait a little for them.
await earlyReads(250);
const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App transport={appTransport()} /></StrictMode>);
