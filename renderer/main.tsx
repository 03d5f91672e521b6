import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installCaseGuards } from './data/cases';
import { WorkstationStore } from './data/store';
import { detectPlatform } from './platform';
import { StartupFailure } from './ui/StartupFailure';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

performance.mark('cgw:bundle');
WorkstationStore.open().then(
  (store) => {
    performance.mark('cgw:store-open');
    // Before the window goes away, write out whatever is still pending (it is usually on disk already).
    window.addEventListener('pagehide', () => void store.flush());
    // Signed case records and case numbers are guarded from the moment a cases document opens, also when only the
    // sync manager opens it (no mediation screen shown yet).
    installCaseGuards(store);
    root.render(
      <StrictMode>
        <App platform={detectPlatform()} store={store} />
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(<StartupFailure error={error} />);
  },
);
