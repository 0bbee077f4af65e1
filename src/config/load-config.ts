import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { formatPath } from '../core/errors/format-path.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { defaultExtractionModel, defaultProvidersAndModels } from './defaults.js';
import { examplePipelines } from './example-pipelines.js';
import { dirname, resolve } from 'node:path';
import { checkSchema } from '../core/extraction/schema-validator.js';

export interface LoadConfigOptions {
  /** Path of breakwater.yaml; when absent, BREAKWATER_CONFIG, then ./breakwater.yaml if it exists. */
  path?: string;
  /** The environment to read (process.env by default); read here, once, and nowhere else. */
  env?: NodeJS.ProcessEnv;
  /** Ignore BREAKWATER_CONFIG and ./breakwater.yaml: embedded defaults plus `env` only. */
  noFile?: boolean;
  /** Overrides applied after file and environment (CLI flags). */
  overrides?: { port?: number; host?: string };
}

export interface LoadedConfig {
  config: ParsedConfig;
  /** Where the config came from, for the start-up log line. */
  source: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Reads breakwater.yaml (if any), applies environment overrides, validates everything with
 * the one strict schema and fills in the embedded defaults. Every problem is reported at
 * once, each naming its path and how to fix it.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const explicitPath = options.path ?? (env.BREAKWATER_CONFIG || undefined);
  const path = options.noFile ? undefined : (explicitPath ?? (existsSync('breakwater.yaml') ? 'breakwater.yaml' : undefined));
  let raw: Record<string, unknown> = {};
  if (path) {
    if (!existsSync(path)) {
      throw new BreakwaterError(
        'CONFIG_INVALID',
        `Config file ${path} does not exist; pass an existing file to --config or BREAKWATER_CONFIG, or omit both to run on the embedded defaults.`,
      );
    }
    try {
      raw = (parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown> | null) ?? {};
    } catch (error) {
      throw new BreakwaterError('CONFIG_INVALID', `Config file ${path} is not valid YAML: ${(error as Error).message}`, { cause: error });
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new BreakwaterError('CONFIG_INVALID', `Config file ${path} must hold a YAML mapping at the top level.`);
    }
  }
  applyEnvironment(raw, env);
  if (options.overrides?.port !== undefined) setPath(raw, ['server', 'port'], options.overrides.port);
  if (options.overrides?.host !== undefined) setPath(raw, ['server', 'host'], options.overrides.host);

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw configError(parsed.error, path);
  const config = parsed.data;
  if (Object.keys(config.providers).length === 0 && Object.keys(config.models).length === 0) {
    Object.assign(config, defaultProvidersAndModels(env));
    if (Object.keys(config.pipelines).length === 0) config.pipelines = examplePipelines(defaultExtractionModel(config, env));
  }
  resolveSchemaFiles(config, path);
  checkReferences(config, path);
  return { config, source: path ?? 'embedded defaults', env };
}

/** Environment variables that override file settings (documented in docs/configuration.md). */
function applyEnvironment(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  const number = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed)) {
      throw new BreakwaterError('CONFIG_INVALID', `Environment variable ${name}=${JSON.stringify(value)} must be an integer.`);
    }
    return parsed;
  };
  const port = number('PORT');
  if (port !== undefined) setPath(raw, ['server', 'port'], port);
  if (env.HOST) setPath(raw, ['server', 'host'], env.HOST);
  // BREAKWATER_DB names the embedded SQLite file; it has no meaning for a postgres store.
  const driver = getPath(raw, ['store', 'driver']);
  if (env.BREAKWATER_DB && (driver === undefined || driver === 'sqlite')) {
    setPath(raw, ['store', 'driver'], 'sqlite');
    setPath(raw, ['store', 'path'], env.BREAKWATER_DB);
  }
  if (env.BREAKWATER_LOG_LEVEL) setPath(raw, ['log', 'level'], env.BREAKWATER_LOG_LEVEL);
  if (env.BREAKWATER_ADMIN_TOKEN && getPath(raw, ['admin', 'token']) === undefined) {
    setPath(raw, ['admin', 'token'], { env: 'BREAKWATER_ADMIN_TOKEN' });
  }
  if (env.BREAKWATER_METRICS_TOKEN && getPath(raw, ['metrics', 'token']) === undefined) {
    setPath(raw, ['metrics', 'token'], { env: 'BREAKWATER_METRICS_TOKEN' });
  }
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT && getPath(raw, ['telemetry', 'otlp']) === undefined) {
    setPath(raw, ['telemetry', 'otlp'], { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  }
}

function checkReferences(config: ParsedConfig, path: string | undefined): void {
  const problems: string[] = [];
  for (const [alias, model] of Object.entries(config.models)) {
    model.deployments.forEach((deployment, index) => {
      if (!config.providers[deployment.provider]) {
        const known = Object.keys(config.providers).join(', ') || 'none';
        problems.push(`models.${alias}.deployments[${index}].provider: no provider named "${deployment.provider}" (configured: ${known}); add it under providers or fix the name`);
      }
    });
  }
  for (const [alias, router] of Object.entries(config.autoRoutes)) {
    if (config.models[alias]) problems.push(`autoRoutes.${alias}: "${alias}" is also under models; an alias is either a model or an auto route, so rename one`);
    router.tiers.forEach((tier, index) => {
      if (!config.models[tier.alias]) {
        problems.push(
          `autoRoutes.${alias}.tiers[${index}].alias: no model alias "${tier.alias}" (configured: ${Object.keys(config.models).join(', ') || 'none'}); a tier names a model with deployments`,
        );
      }
    });
  }
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    const sendsWebhooks = pipeline.webhook !== undefined || pipeline.sinks.some((sink) => sink.type === 'webhook');
    if (sendsWebhooks && config.webhooks.secrets.length === 0) {
      problems.push(`pipelines.${name}: sends webhooks, but webhooks.secrets is empty; add a signing secret (webhooks.secrets: [{ env: BREAKWATER_WEBHOOK_SECRET }])`);
    }
    if (!config.models[pipeline.model] && !config.autoRoutes[pipeline.model]) {
      problems.push(
        `pipelines.${name}.model: no model alias "${pipeline.model}" (configured: ${Object.keys(config.models).join(', ') || 'none'}); add it under models or fix the name`,
      );
    }
    try {
      checkSchema(pipeline.schema);
      if (pipeline.schema?.type !== 'object') throw new Error('the top level must be {"type": "object", ...}: a pipeline extracts one record');
    } catch (error) {
      problems.push(`pipelines.${name}.${pipeline.schemaFile ? 'schemaFile' : 'schema'}: not a usable JSON Schema: ${(error as Error).message}`);
    }
  }
  for (const [name, provider] of Object.entries(config.providers)) {
    if (provider.type === 'openai-compatible' && !provider.baseUrl && !provider.vendor) {
      problems.push(`providers.${name}: set baseUrl (e.g. http://127.0.0.1:11434/v1) or a known vendor`);
    }
  }
  if (problems.length > 0) {
    throw new BreakwaterError('CONFIG_INVALID', `Invalid configuration (${path ?? 'embedded defaults'}):\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads each pipeline's schemaFile (relative to the config file) into its schema. */
function resolveSchemaFiles(config: ParsedConfig, path: string | undefined): void {
  const problems: string[] = [];
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    if (!pipeline.schemaFile) continue;
    const file = resolve(path ? dirname(path) : process.cwd(), pipeline.schemaFile);
    try {
      pipeline.schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      problems.push(`pipelines.${name}.schemaFile: cannot read ${file} as JSON (${(error as Error).message}); fix the path (relative to the config file) or the file`);
    }
  }
  if (problems.length > 0) {
    throw new BreakwaterError('CONFIG_INVALID', `Invalid configuration (${path ?? 'embedded defaults'}):\n  - ${problems.join('\n  - ')}`);
  }
}

function configError(error: z.ZodError, path: string | undefined): BreakwaterError {
  const lines = error.issues.map((issue) => {
    const at = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown setting(s) ${issue.keys.join(', ')}; remove or rename them (see docs/configuration.md)`;
    return `${at}: ${message}`;
  });
  return new BreakwaterError('CONFIG_INVALID', `Invalid configuration (${path ?? 'environment'}):\n  - ${lines.join('\n  - ')}`, {
    details: { issues: lines },
  });
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function getPath(target: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = target;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
