import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, DEFAULT_MAX_OPEN_BYTES, type HandlerDeps } from '../../../../electron/main/handlers';
import { IpcHandlerError } from '../../../../electron/main/ipc';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'handlers-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const secretValues = new Map<string, string>();

/** Dialogs answer with what a person would pick; everything else is real (files in a temp folder). */
function deps(answers: { savePath?: string | null; openPath?: string | null } = {}) {
  const showSaveDialog = vi.fn((_options: SaveDialogOptions) =>
    Promise.resolve(
      answers.savePath == null ? { canceled: true, filePath: '' } : { canceled: false, filePath: answers.savePath },
    ),
  );
  const showOpenDialog = vi.fn((_options: OpenDialogOptions) =>
    Promise.resolve(
      answers.openPath == null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [answers.openPath] },
    ),
  );
  const printToPdf = vi.fn((_options: Parameters<HandlerDeps['printToPdf']>[0]) =>
    Promise.resolve(new Uint8Array([0x25, 0x50, 0x44, 0x46])),
  );
  const value = {
    appInfo: {
      name: '社区治理工作台',
      version: '0.1.0',
      dataFolder: dir,
      platform: 'linux',
      electronVersion: '41.7.1',
    },
    documentsDir: path.join(dir, 'Documents'),
    showSaveDialog,
    showOpenDialog,
    printToPdf,
    secrets: {
      store: (name: string, value: string) => void secretValues.set(name, value),
      load: (name: string) => secretValues.get(name) ?? null,
      delete: (name: string) => void secretValues.delete(name),
    },
    osKey: {
      status: () => ({ available: true }) as const,
      seal: (bytes: Uint8Array) => Uint8Array.from(bytes, (byte) => byte ^ 0xff),
      open: (sealed: Uint8Array) => Uint8Array.from(sealed, (byte) => byte ^ 0xff),
    },
    setSyncServer: vi.fn((server: string | null) => server !== null && !server.includes('127.0.0.1')),
    confirmClose: vi.fn(),
  } satisfies HandlerDeps;
  return value;
}

describe('getAppInfo', () => {
  it('reports the app and its data folder', async () => {
    await expect(createHandlers(deps()).getAppInfo()).resolves.toEqual({
      name: '社区治理工作台',
      version: '0.1.0',
      dataFolder: dir,
      platform: 'linux',
      electronVersion: '41.7.1',
    });
  });
});

describe('saveFile', () => {
  it('writes text as UTF-8 where the person chose, opening the dialog in Documents', async () => {
    const target = path.join(dir, '居民台账.csv');
    const d = deps({ savePath: target });
    const filters = [{ name: 'CSV', extensions: ['csv'] }];
    const result = await createHandlers(d).saveFile({ defaultName: '居民台账.csv', content: '姓名,楼栋\n', filters });
    expect(readFileSync(target, 'utf8')).toBe('姓名,楼栋\n');
    expect(result).toEqual({ path: target, bytes: Buffer.byteLength('姓名,楼栋\n') });
    expect(d.showSaveDialog).toHaveBeenCalledWith(
      expect.objectContaining({ defaultPath: path.join(dir, 'Documents', '居民台账.csv'), filters }),
    );
  });

  it('writes bytes as they are', async () => {
    const target = path.join(dir, 'export.xlsx');
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
    const result = await createHandlers(deps({ savePath: target })).saveFile({
      defaultName: 'export.xlsx',
      content: bytes,
    });
    expect(new Uint8Array(readFileSync(target))).toEqual(bytes);
    expect(result).toEqual({ path: target, bytes: 6 });
  });

  it('returns null and writes nothing when the dialog is cancelled', async () => {
    await expect(createHandlers(deps()).saveFile({ defaultName: 'a.txt', content: 'x' })).resolves.toBeNull();
  });

  it('lets a write error surface as a Node system error (ipc.ts turns it into io-error)', async () => {
    const target = path.join(dir, 'missing-folder', 'a.txt');
    await expect(
      createHandlers(deps({ savePath: target })).saveFile({ defaultName: 'a.txt', content: 'x' }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('openFile', () => {
  it('returns the bytes and name of the chosen file', async () => {
    const source = path.join(dir, '名单.csv');
    writeFileSync(source, '张三,1栋');
    const result = await createHandlers(deps({ openPath: source })).openFile({});
    expect(result?.name).toBe('名单.csv');
    expect(result?.path).toBe(source);
    expect(Buffer.from(result?.bytes ?? []).toString('utf8')).toBe('张三,1栋');
    expect(result?.bytes).toBeInstanceOf(Uint8Array);
  });

  it('refuses a file larger than the limit with file-too-large, before reading it', async () => {
    const source = path.join(dir, 'big.bin');
    writeFileSync(source, Buffer.alloc(2048));
    const promise = createHandlers(deps({ openPath: source })).openFile({ maxBytes: 1024 });
    await expect(promise).rejects.toBeInstanceOf(IpcHandlerError);
    await expect(promise).rejects.toMatchObject({ code: 'file-too-large' });
  });

  it('accepts a file exactly at the limit', async () => {
    const source = path.join(dir, 'edge.bin');
    writeFileSync(source, Buffer.alloc(1024));
    const result = await createHandlers(deps({ openPath: source })).openFile({ maxBytes: 1024 });
    expect(result?.bytes.byteLength).toBe(1024);
  });

  it('applies a 50 MiB limit when the caller names none', async () => {
    const fs = {
      stat: () => Promise.resolve({ size: DEFAULT_MAX_OPEN_BYTES + 1, isFile: () => true }),
      readFile: vi.fn(() => Promise.resolve(new Uint8Array())),
      writeFile: () => Promise.resolve(),
    };
    const handlers = createHandlers({ ...deps({ openPath: path.join(dir, 'huge.mp4') }), fs });
    await expect(handlers.openFile({})).rejects.toMatchObject({ code: 'file-too-large' });
    expect(fs.readFile).not.toHaveBeenCalled();
  });

  it('returns null when the dialog is cancelled', async () => {
    await expect(createHandlers(deps()).openFile({})).resolves.toBeNull();
  });
});

describe('printToPdf', () => {
  it('prints A4 with backgrounds to the chosen file, adding .pdf to the suggested name', async () => {
    const target = path.join(dir, '会议纪要.pdf');
    const d = deps({ savePath: target });
    const result = await createHandlers(d).printToPdf({ defaultName: '会议纪要', landscape: true });
    expect(d.printToPdf).toHaveBeenCalledWith({ pageSize: 'A4', printBackground: true, landscape: true });
    expect(readFileSync(target).subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(result).toEqual({ path: target, bytes: 4 });
    expect(d.showSaveDialog).toHaveBeenCalledWith(
      expect.objectContaining({ defaultPath: path.join(dir, 'Documents', '会议纪要.pdf') }),
    );
  });

  it('does not print when the dialog is cancelled', async () => {
    const d = deps();
    await expect(createHandlers(d).printToPdf({ defaultName: 'x.pdf' })).resolves.toBeNull();
    expect(d.printToPdf).not.toHaveBeenCalled();
  });
});

describe('secrets, sync server and closing', () => {
  it('passes secrets to the keychain store', async () => {
    const handlers = createHandlers(deps());
    await expect(handlers.storeSecret('sync-token', 't')).resolves.toBeNull();
    await expect(handlers.loadSecret('sync-token')).resolves.toBe('t');
    await handlers.deleteSecret('sync-token');
    await expect(handlers.loadSecret('sync-token')).resolves.toBeNull();
  });

  it('tells the renderer whether a new sync server needs a reload', async () => {
    const d = deps();
    await expect(createHandlers(d).setSyncServer('wss://sync.example.cn')).resolves.toEqual({ reload: true });
    await expect(createHandlers(d).setSyncServer(null)).resolves.toEqual({ reload: false });
    expect(d.setSyncServer).toHaveBeenCalledTimes(2);
  });

  it('forwards confirmClose', async () => {
    const d = deps();
    await createHandlers(d).confirmClose();
    expect(d.confirmClose).toHaveBeenCalledOnce();
  });
});

describe('the OS key ("remember on this computer")', () => {
  it('answers the status and seals and opens through the injected keychain', async () => {
    const handlers = createHandlers(deps());
    await expect(handlers.osKeyStatus()).resolves.toEqual({ available: true });
    const sealed = await handlers.osKeySeal(new Uint8Array([1, 2, 3]));
    expect([...sealed]).not.toEqual([1, 2, 3]);
    await expect(handlers.osKeyOpen(Uint8Array.from(sealed))).resolves.toEqual(new Uint8Array([1, 2, 3]));
  });
});
