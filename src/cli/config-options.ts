import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';

export interface ConfigFlags {
  config?: string;
  port?: number;
  host?: string;
}

export function withConfigOption(command: Command): Command {
  return command.option('-c, --config <path>', 'breakwater.yaml to use (default: $BREAKWATER_CONFIG, then ./breakwater.yaml, then embedded defaults)');
}

export function loadFromFlags(flags: ConfigFlags): LoadedConfig {
  return loadConfig({
    ...(flags.config ? { path: flags.config } : {}),
    overrides: { ...(flags.port !== undefined ? { port: flags.port } : {}), ...(flags.host ? { host: flags.host } : {}) },
  });
}

export function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}
