import { fileURLToPath } from 'node:url';
import { serveFolder } from './static-server';

/**
 * Serves dist/web for the whole run (or `E2E_WEB_DIR`: a build of one's own, when others on the same checkout rebuild
 * dist/web meanwhile); the URL reaches the workers through the environment.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const folder = process.env.E2E_WEB_DIR ?? fileURLToPath(new URL('../../../dist/web', import.meta.url));
  const { url, server } = await serveFolder(folder);
  process.env.E2E_BASE_URL = url;
  return () => new Promise<void>((done) => server.close(() => done()));
}
