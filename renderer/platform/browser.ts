import type { FileFilter } from '@shared/ipc/contract';
import { browserSecrets } from '../data/syncState';
import { PlatformError, type Platform } from './types';

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

function acceptOf(filters: readonly FileFilter[] | undefined): string {
  if (!filters) return '';
  return filters
    .flatMap((filter) => filter.extensions)
    .filter((extension) => extension !== '*')
    .map((extension) => `.${extension}`)
    .join(',');
}

/** Asks the person for one file through a hidden file input. Resolves `null` when they cancel. */
function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    if (accept) input.accept = accept;
    input.style.display = 'none';
    const finish = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => finish(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => finish(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

/**
 * The platform in a plain browser (`npm run web`, end-to-end tests): downloads instead of the save dialog, a file
 * input instead of the open dialog, `window.print` instead of printing to PDF.
 */
export function browserPlatform(version: string): Platform {
  return {
    kind: 'browser',
    getAppInfo: () =>
      Promise.resolve({
        name: '社区治理工作台',
        version,
        dataFolder: `IndexedDB · ${location.origin}`,
        platform: navigator.platform || 'browser',
        electronVersion: '',
      }),
    saveFile: (request) => {
      const blob = new Blob([request.content]);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = request.defaultName;
      link.style.display = 'none';
      document.body.append(link);
      link.click();
      link.remove();
      // Revoke later: Chromium reads the blob asynchronously after the click.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return Promise.resolve({ path: request.defaultName, bytes: blob.size });
    },
    openFile: async (request) => {
      const file = await pickFile(acceptOf(request.filters));
      if (!file) return null;
      const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
      if (file.size > maxBytes) {
        throw new PlatformError('file-too-large', `${file.name}: ${file.size} bytes, limit ${maxBytes}`);
      }
      return { path: file.name, name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
    },
    printToPdf: (request) => {
      const previousTitle = document.title;
      // The browser proposes the document title as the PDF's file name.
      document.title = request.defaultName.replace(/\.pdf$/i, '');
      try {
        window.print();
      } finally {
        document.title = previousTitle;
      }
      return Promise.resolve(null);
    },
    onNavigate: () => () => undefined,
    secretStorage: 'indexeddb',
    storeSecret: (name, value) => browserSecrets.store(name, value),
    loadSecret: (name) => browserSecrets.load(name),
    deleteSecret: (name) => browserSecrets.delete(name),
    // The browser's own policy (of whatever serves the page) decides what it may reach; nothing to widen here.
    setSyncServer: () => Promise.resolve(false),
    // A tab closes at once; the pagehide handler of main.tsx writes out what is pending.
    onCloseRequested: () => () => undefined,
  };
}
