import shipped from './default-router-model.json' with { type: 'json' };
import { parseRouterModel, type RouterModel } from './router-model.js';

/**
 * The model Breakwater ships: trained by `breakwater router train` on bench/routing's dev set
 * (bench/routing/README.md says how to retrain it). Checked at load, so a bad file fails the
 * start, not a request.
 */
export const defaultRouterModel: RouterModel = (() => {
  const parsed = parseRouterModel(shipped);
  if (!parsed.ok) throw new Error(`default-router-model.json: ${parsed.error.join('; ')}`);
  return parsed.value;
})();
