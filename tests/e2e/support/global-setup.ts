import { fileURLToPath } from 'node:url';
import { serveFolder } from './static-server';

/** Serves dist/web for the whole run; the URL reaches the workers through the environment. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const { url, server } = await serveFolder(fileURLToPath(new URL('../../../dist/web', import.meta.url)));
  process.env.E2E_BASE_URL = url;
  return () => new Promise<void>((done) => server.close(() => done()));
}
