/**
 * The command registry: one file per command under lib/cli/commands/.
 * @module
 */
import type { Command } from '../command';
import { bootstrapCommand } from './bootstrap';

export const COMMANDS: readonly Command[] = [bootstrapCommand];
