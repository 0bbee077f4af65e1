import { readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import type { Adapters } from '../adapters/open-adapters.js';
import { TargetPolicy } from '../adapters/webhooks/ssrf-guard.js';
import { WebhookSender } from '../adapters/webhooks/webhook-sender.js';
import { HttpToolClient } from '../adapters/workflows/http-tool-client.js';
import type { ParsedConfig } from '../config/schema.js';
import { resolveSecret } from '../config/secrets.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { Gateway } from '../core/gateway/gateway.js';
import type { WorkflowDefinition } from '../core/workflows/definition.js';
import type { PipelineCatalog } from '../core/workflows/pipeline-tool.js';
import { WorkflowEngine } from '../core/workflows/workflow-engine.js';
import { WorkflowJobHandler } from '../core/workflows/workflow-job.js';
import { WorkflowRegistry } from '../core/workflows/workflow-registry.js';
import { WorkflowService } from '../core/workflows/workflow-service.js';
import { workflowFromData } from '../core/workflows/yaml-workflow.js';

export interface WorkflowParts {
  config: ParsedConfig;
  env: NodeJS.ProcessEnv;
  adapters: Adapters;
  gateway: Gateway;
  logger: Logger;
  role: 'api' | 'worker' | 'all';
  /** Definitions given in code (tests, the demo), registered after those in workflows.files. */
  definitions?: readonly WorkflowDefinition[];
}

export interface Workflows {
  service: WorkflowService;
  handler: WorkflowJobHandler;
  /**
   * Starts the approval sweep (expiry, escalation, stalled runs; worker nodes); `wakeRelay`
   * publishes new advance jobs at once; `pipelines` are what pipeline tools run.
   */
  start(wakeRelay: () => void, pipelines?: PipelineCatalog): void;
  close(): Promise<void>;
}

/** Loads workflow definitions from files: YAML/JSON as data, .js/.mjs/.ts as modules (default export). */
export async function loadWorkflowFiles(files: readonly string[]): Promise<WorkflowDefinition[]> {
  const definitions: WorkflowDefinition[] = [];
  for (const file of files) {
    const path = isAbsolute(file) ? file : resolve(file);
    const extension = extname(path).toLowerCase();
    if (extension === '.yaml' || extension === '.yml' || extension === '.json') {
      let data: unknown;
      try {
        data = extension === '.json' ? JSON.parse(readFileSync(path, 'utf8')) : parseYaml(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new BreakwaterError('CONFIG_INVALID', `workflows.files: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      definitions.push(workflowFromData(data, file));
    } else {
      const module = (await import(pathToFileURL(path).href)) as { default?: WorkflowDefinition | WorkflowDefinition[] };
      if (!module.default) throw new BreakwaterError('CONFIG_INVALID', `workflows.files: ${file} has no default export (export default defineWorkflow({...})).`);
      definitions.push(...(Array.isArray(module.default) ? module.default : [module.default]));
    }
  }
  return definitions;
}

/** The workflow engine's parts: registry, HTTP tool client, engine, API service and the job handler. */
export async function buildWorkflows(parts: WorkflowParts): Promise<Workflows> {
  const { config, env, adapters, gateway, logger, role } = parts;
  const registry = new WorkflowRegistry();
  const secrets = config.webhooks.secrets.map((ref, index) => resolveSecret(ref, `webhooks.secrets[${index}]`, env));
  const policy = new TargetPolicy({ allow: config.webhooks.allow });
  const http = secrets.length > 0 ? new HttpToolClient(policy, secrets) : undefined;
  const webhooks =
    secrets.length > 0
      ? new WebhookSender({ policy, secrets, timeoutMs: config.webhooks.timeoutMs, onFailure: (failure) => logger.warn(failure, 'workflow webhook attempt failed') })
      : undefined;
  for (const definition of [...(await loadWorkflowFiles(config.workflows.files)), ...(parts.definitions ?? [])]) {
    const registered = registry.register(definition);
    for (const [name, tool] of registered.tools) {
      if ('pipeline' in tool.definition && !Object.hasOwn(config.pipelines, tool.definition.pipeline.name)) {
        throw new BreakwaterError(
          'CONFIG_INVALID',
          `workflow ${definition.name}@${definition.version}: tool ${name} runs pipeline "${tool.definition.pipeline.name}", which is not under pipelines: (configured: ${Object.keys(config.pipelines).join(', ') || 'none'}).`,
        );
      }
      if (!('http' in tool.definition)) continue;
      if (!http)
        throw new BreakwaterError('CONFIG_INVALID', `workflow ${definition.name}: tool ${name} is an HTTP tool; its calls are signed like webhooks, so set webhooks.secrets.`);
      http.checkTarget(tool.definition.http.url);
    }
  }
  const { store, bus } = adapters;
  let wakeRelay: () => void = () => {};
  const service = new WorkflowService({
    store: store.workflows,
    jobs: store.jobs,
    bus,
    registry,
    webhooks,
    advanceMaxAttempts: config.workflows.maxAttempts,
    onJobCreated: () => wakeRelay(),
  });
  const engine = new WorkflowEngine({
    store: store.workflows,
    registry,
    gateway,
    http,
    approvalTimeoutMs: config.workflows.approvalTimeoutMs,
    onStep: (_run, step) => service.announce(step),
  });
  let sweep: NodeJS.Timeout | undefined;
  return {
    service,
    handler: new WorkflowJobHandler(engine),
    start(wake, pipelines) {
      wakeRelay = wake;
      engine.supplyPipelines(pipelines ?? { pipelines: new Map() });
      if (role === 'api') return;
      let sweeping = false;
      sweep = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        Promise.all([service.expireApprovals(), service.escalateApprovals(), service.reconcile(config.workflows.stalledMs)])
          .catch((error: unknown) => logger.error({ err: error }, 'workflow sweep failed'))
          .finally(() => (sweeping = false));
      }, config.workflows.sweepMs);
      sweep.unref();
    },
    async close() {
      clearInterval(sweep);
      await http?.close();
      await webhooks?.close();
    },
  };
}
