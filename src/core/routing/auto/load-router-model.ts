import { readFileSync } from 'node:fs';
import { BreakwaterError } from '../../errors/breakwater-error.js';
import { parseRouterModel, type RouterModel } from './router-model.js';

/** Reads a model file at start-up (`autoRoutes.<alias>.model`); a bad file fails the start, naming the setting. */
export function loadRouterModel(path: string, setting: string): RouterModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BreakwaterError(
      'CONFIG_INVALID',
      `${setting}: cannot read the router model ${path} (${error instanceof Error ? error.message : String(error)}); write one with \`breakwater router train\`.`,
    );
  }
  const parsed = parseRouterModel(raw);
  if (!parsed.ok)
    throw new BreakwaterError('CONFIG_INVALID', `${setting}: ${path} is not a router model (${parsed.error.slice(0, 3).join('; ')}); write one with \`breakwater router train\`.`);
  return parsed.value;
}
