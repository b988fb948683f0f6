/**
 * The command registry: one file per command under lib/cli/commands/. A command file holds its
 * name, flags and defaults, and imports the statistics its run() needs inside run(), so that
 * `--help`, `--version` and usage errors answer without loading them.
 * @module
 */
import type { Command } from '../command';
import { analyzeCommand } from './analyze';
import { asymptoticCommand } from './asymptotic';
import { benchCommand } from './bench';
import { bootstrapCommand } from './bootstrap';
import { designCommand } from './design';
import { mergeCommand } from './merge';
import { planCommand } from './plan';
import { plotCommand } from './plot';
import { powerCommand } from './power';
import { runCommand } from './run';
import { scenarioCommand } from './scenario';

export const COMMANDS: readonly Command[] = [designCommand, runCommand, scenarioCommand, powerCommand, asymptoticCommand, planCommand, mergeCommand, plotCommand, bootstrapCommand, analyzeCommand, benchCommand];
