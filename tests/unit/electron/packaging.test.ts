/**
 * electron-builder.yml is only ever used on a packaging machine with internet access, so mistakes in it would show up
 * late. Here it is validated against electron-builder's own JSON schema (with the YAML parser and validator that
 * electron-builder itself depends on), and the rules that matter to this project are checked.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Resolved from app-builder-lib so the test uses the very copies electron-builder uses (they are not our deps).
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
const yaml = requireFromBuilder('js-yaml') as { load: (text: string) => unknown };
const Ajv = requireFromBuilder('ajv') as new (options: object) => {
  validate: (schema: unknown, data: unknown) => boolean;
  errors?: unknown[] | null;
};
const schema: unknown = requireFromBuilder('./scheme.json');

interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  files: string[];
  npmRebuild: boolean;
  win: { target: { target: string; arch: string[] }[]; icon: string };
  nsis: { oneClick: boolean; perMachine: boolean; installerLanguages: string[] };
  linux: { target: string[]; category: string; maintainer: string; icon: string };
}
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const valid = ajv.validate(schema, config);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('packs only the built app into an asar, with no node_modules and nothing rebuilt', () => {
    expect(config.asar).toBe(true);
    expect(config.files.filter((pattern) => !pattern.startsWith('!'))).toEqual(['out/**', 'package.json']);
    expect(config.files).toContain('!node_modules/**');
    expect(config.npmRebuild).toBe(false);
  });

  it('names the app and builds a per-user capable Chinese NSIS installer and Linux packages', () => {
    expect(config.productName).toBe('社区治理工作台');
    expect(config.appId).toMatch(/^cn\./);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, installerLanguages: ['zh_CN'] });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Office');
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
  });

  it('points at icons that exist in the sizes the targets need', () => {
    expect(pngSize(config.win.icon)).toEqual({ width: 512, height: 512 });
    expect(pngSize(`${config.linux.icon}/512x512.png`)).toEqual({ width: 512, height: 512 });
    expect(pngSize(`${config.linux.icon}/256x256.png`)).toEqual({ width: 256, height: 256 });
  });
});
