// Every CLI sub-command, registered in one place (no import side effects).
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
