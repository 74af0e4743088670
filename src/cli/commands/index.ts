// Every CLI sub-command, registered in one place (no import side effects).
import type { Command } from 'commander';
import { registerCache } from './cache.js';
import { registerCompare } from './compare.js';
import { registerData } from './data.js';
import { registerDemo } from './demo.js';
import { registerMakeModel } from './make-model.js';
import { registerParity } from './parity.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerSweep } from './sweep.js';
import { registerTasks } from './tasks.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerRun, registerTasks, registerMakeModel, registerCompare, registerDemo, registerParity, registerData, registerServe, registerCache, registerSweep];
