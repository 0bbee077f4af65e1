import { builtInPrices } from './price-table.js';

export interface Price {
  /** USD per 1M input tokens. */
  input: number;
  /** USD per 1M output tokens. */
  output: number;
}

const free: Price = { input: 0, output: 0 };

/** Resolves a model's price: deployment override, then config table, then built-ins. */
export class Pricing {
  constructor(private readonly overrides: Readonly<Record<string, Price>> = {}) {}

  priceOf(model: string, deploymentPrice?: Price): Price {
    return deploymentPrice ?? this.overrides[model] ?? builtInPrices[model] ?? builtInPrices[stripDateSuffix(model)] ?? free;
  }

  isKnown(model: string, deploymentPrice?: Price): boolean {
    return this.priceOf(model, deploymentPrice) !== free;
  }
}

/** USD for a token count at a per-1M price. */
export function costOf(price: Price, inputTokens: number, outputTokens: number): number {
  return (price.input * inputTokens + price.output * outputTokens) / 1_000_000;
}

function stripDateSuffix(model: string): string {
  return model.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '');
}
