// Short model names: default report labels and run folder names (expected values written by hand).
import { expect, test } from 'vitest';
import { looksLocal, modelShortName, runFolderName, shortNames } from '../../src/report/model-name.js';

test('a hub model keeps its name or repo id; a local folder is known by its own name', () => {
  expect(modelShortName('gpt2')).toBe('gpt2');
  expect(modelShortName('HuggingFaceTB/SmolLM-135M')).toBe('HuggingFaceTB/SmolLM-135M');
  expect(modelShortName('/tmp/models/tiny-s1')).toBe('tiny-s1');
  expect(modelShortName('/tmp/models/tiny-s1/')).toBe('tiny-s1');
  expect(modelShortName('test-artifacts/demo/models/tiny-64')).toBe('tiny-64');
  expect(modelShortName('./tiny')).toBe('tiny');
  expect(modelShortName('../models/tiny')).toBe('tiny');
  expect(modelShortName('~/models/tiny')).toBe('tiny');
  expect(modelShortName('C:\\models\\tiny')).toBe('tiny');
  expect(modelShortName('/home/u/.cache/huggingface/hub/models--HuggingFaceTB--SmolLM-135M/snapshots/1a2b3c')).toBe(
    'HuggingFaceTB/SmolLM-135M',
  );
});

test('a two-segment relative path reads as a repo id unless the caller says it is local', () => {
  expect(looksLocal('models/tiny')).toBe(false);
  expect(modelShortName('models/tiny')).toBe('models/tiny');
  expect(modelShortName('models/tiny', { local: true })).toBe('tiny');
  expect(modelShortName('/abs/org/name', { local: false })).toBe('/abs/org/name');
});

test("run folders: the short name sanitised as lm-eval sanitises model names", () => {
  expect(runFolderName('/tmp/models/tiny-s1')).toBe('tiny-s1');
  expect(runFolderName('HuggingFaceTB/SmolLM-135M')).toBe('HuggingFaceTB__SmolLM-135M');
  expect(runFolderName('models/tiny', { local: true })).toBe('tiny');
});

test('several models: clashing folder names keep more of their paths; equal ids stay equal', () => {
  expect(shortNames(['/runs/a/model', '/runs/b/model', 'gpt2'])).toEqual(['a/model', 'b/model', 'gpt2']);
  expect(shortNames(['/x/a/m', '/y/a/m'])).toEqual(['x/a/m', 'y/a/m']);
  expect(shortNames(['/tmp/tiny', '/tmp/tiny'])).toEqual(['tiny', 'tiny']);
  expect(shortNames(['model', '/p/model'])).toEqual(['model', 'p/model']);
});
