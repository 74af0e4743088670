// HF_* environment variables with huggingface_hub's precedence.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { envFlag, hubSettingsFromEnv } from '../../../src/data/hub/settings.js';

test('cache folder: HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub', () => {
  expect(hubSettingsFromEnv({ HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' }).cacheDir).toBe('/a');
  expect(hubSettingsFromEnv({ HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' }).cacheDir).toBe('/b');
  expect(hubSettingsFromEnv({ HF_HOME: '/c' }).cacheDir).toBe('/c/hub');
  expect(hubSettingsFromEnv({ HF_HOME: '~/hf' }).cacheDir).toBe(join(homedir(), 'hf', 'hub'));
  expect(hubSettingsFromEnv({ XDG_CACHE_HOME: '/x', HF_TOKEN: 't' }).cacheDir).toBe('/x/huggingface/hub');
});

test('endpoint without trailing slash, offline flags, token from env or the login file', () => {
  const home = mkdtempSync(join(tmpdir(), 'yardstick-settings-'));
  try {
    expect(hubSettingsFromEnv({ HF_HOME: home }).endpoint).toBe('https://huggingface.co');
    expect(hubSettingsFromEnv({ HF_HOME: home, HF_ENDPOINT: 'https://mirror.example/' }).endpoint).toBe('https://mirror.example');
    expect([envFlag('1'), envFlag('ON'), envFlag('yes'), envFlag('True'), envFlag('0'), envFlag(''), envFlag(undefined)]).toEqual([true, true, true, true, false, false, false]);
    expect(hubSettingsFromEnv({ HF_HOME: home, HF_DATASETS_OFFLINE: '1' }).offline).toBe(true);
    expect(hubSettingsFromEnv({ HF_HOME: home }).token).toBeUndefined();
    writeFileSync(join(home, 'token'), 'hf_file\n');
    expect(hubSettingsFromEnv({ HF_HOME: home }).token).toBe('hf_file');
    expect(hubSettingsFromEnv({ HF_HOME: home, HF_TOKEN: 'hf_env' }).token).toBe('hf_env');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
