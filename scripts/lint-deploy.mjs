// Lints the deployment files without Docker or a cluster: every YAML file under deploy/
// (parse errors, duplicate keys), the Kubernetes objects, the compose file, the
// Breakwater config they share, the Prometheus / OTel / Prometheus Adapter configs, the
// Dockerfile and .dockerignore. It checks what breaks deployments in practice (selectors that
// match nothing, names that point nowhere, unset variables), not the full API schemas.
//
//   node scripts/lint-deploy.mjs        (npm run lint:deploy)
//
// Output: one line per problem (`file: message`) and a summary; exit status 1 on problems.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const deployDir = join(root, 'deploy');
const problems = [];
const at = (file) => relative(root, file);
const problem = (file, message) => problems.push(`${at(file)}: ${message}`);
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// YAML: every file, every document, duplicate keys are errors, `<<` merge keys allowed.

function parseYamlText(text, file, label = '') {
  const documents = parseAllDocuments(text, { uniqueKeys: true, merge: true, prettyErrors: true });
  const values = [];
  for (const document of documents) {
    for (const error of [...document.errors, ...document.warnings]) problem(file, `${label}${error.code}: ${error.message.split('\n')[0]}`);
    if (document.errors.length === 0 && document.contents !== null) values.push(document.toJS({ maxAliasCount: 1000 }));
  }
  return values;
}

function yamlFiles(folder) {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

const parsed = new Map(
  yamlFiles(deployDir)
    .sort()
    .map((file) => [file, parseYamlText(readFileSync(file, 'utf8'), file)]),
);
const only = (file) => parsed.get(file)?.[0];

// Strings that look like real credentials never belong in deploy/.
for (const file of [...parsed.keys(), join(deployDir, '.env.example')].filter(existsSync)) {
  const text = readFileSync(file, 'utf8');
  if (/\bsk-(ant-)?[A-Za-z0-9_-]{20,}/.test(text) || /\bbw_[A-Za-z0-9_-]{30,}/.test(text)) problem(file, 'looks like it holds a real API key; use a placeholder');
}

// ---------------------------------------------------------------------------------------------
// The Breakwater config shared by compose and Kubernetes.

const configFile = join(deployDir, 'breakwater.scale-out.yaml');
const breakwaterConfig = only(configFile) ?? {};
const expectedDrivers = { store: 'postgres', queue: 'rabbitmq', counters: 'redis', cache: 'redis', events: 'redis' };
const isSecretRef = (value) => isObject(value) && Object.keys(value).length === 1 && (typeof value.env === 'string' || typeof value.file === 'string');
for (const [section, driver] of Object.entries(expectedDrivers)) {
  const settings = breakwaterConfig[section];
  if (settings?.driver !== driver) problem(configFile, `${section}.driver: expected ${driver} for the scale-out shape, found ${settings?.driver}`);
  if (!isSecretRef(settings?.url)) problem(configFile, `${section}.url: must be a secret reference ({ env: NAME } or { file: PATH }), never a literal URL`);
}
const secretEnvNames = new Set();
(function collect(value) {
  if (isSecretRef(value) && value.env) secretEnvNames.add(value.env);
  else if (Array.isArray(value)) value.forEach(collect);
  else if (isObject(value)) Object.values(value).forEach(collect);
})(breakwaterConfig);
const configPort = breakwaterConfig.server?.port ?? 8080;
const shutdownGraceMs = breakwaterConfig.jobs?.shutdownGraceMs ?? 10_000;

// ---------------------------------------------------------------------------------------------
// Kubernetes objects.

const knownKinds = {
  v1: ['Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount'],
  'apps/v1': ['Deployment'],
  'batch/v1': ['Job'],
  'policy/v1': ['PodDisruptionBudget'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
};
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const quantity = /^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/;
const objects = [];
for (const [file, documents] of parsed) {
  if (!file.startsWith(join(deployDir, 'kubernetes'))) continue;
  for (const object of documents) {
    if (!isObject(object)) problem(file, 'a document is not a mapping');
    else objects.push({ file, object });
  }
}
const find = (kind, namespace, name) => objects.find(({ object }) => object.kind === kind && object.metadata?.namespace === namespace && object.metadata?.name === name);
const namespaces = new Set(objects.filter(({ object }) => object.kind === 'Namespace').map(({ object }) => object.metadata?.name));
const seen = new Set();

const deployments = objects.filter(({ object }) => object.kind === 'Deployment');
const adapterMetrics = new Set();
const pendingExternal = [];
function deploymentsSelectedBy(selector, namespace) {
  if (!isObject(selector) || Object.keys(selector).length === 0) return [];
  const labels = Object.entries(selector);
  return deployments.filter(({ object }) => object.metadata.namespace === namespace && labels.every(([key, value]) => object.spec?.template?.metadata?.labels?.[key] === value));
}

function checkImage(file, where, image) {
  if (typeof image !== 'string' || image === '') return problem(file, `${where}: set image`);
  const last = image.split('/').pop();
  if (!/[:@]/.test(last) || /:latest$/.test(image)) problem(file, `${where}: pin the image tag or digest (${image}); never latest`);
}

function checkPodSpec(file, object, label, { isService }) {
  const pod = object.spec?.template?.spec;
  const namespace = object.metadata?.namespace;
  if (!isObject(pod)) return problem(file, `${label}: spec.template.spec is missing`);
  const containers = pod.containers ?? [];
  if (containers.length === 0) problem(file, `${label}: no containers`);
  const volumes = new Map((pod.volumes ?? []).map((volume) => [volume.name, volume]));
  for (const volume of volumes.values()) {
    if (volume.configMap && !find('ConfigMap', namespace, volume.configMap.name))
      problem(file, `${label}: volume ${volume.name} names ConfigMap ${volume.configMap.name}, which is not declared`);
    if (volume.secret && !find('Secret', namespace, volume.secret.secretName))
      problem(file, `${label}: volume ${volume.name} names Secret ${volume.secret.secretName}, which is not declared`);
  }
  if (!pod.securityContext?.runAsNonRoot && !containers.every((container) => container.securityContext?.runAsNonRoot))
    problem(file, `${label}: set securityContext.runAsNonRoot: true`);
  if (pod.securityContext?.runAsUser === 0) problem(file, `${label}: runAsUser 0 is root`);
  for (const container of containers) {
    const where = `${label} container ${container.name}`;
    checkImage(file, where, container.image);
    const { requests = {}, limits = {} } = container.resources ?? {};
    for (const [path, value] of [
      ['requests.cpu', requests.cpu],
      ['requests.memory', requests.memory],
      ['limits.memory', limits.memory],
    ]) {
      if (value === undefined) problem(file, `${where}: set resources.${path}`);
      else if (!quantity.test(String(value))) problem(file, `${where}: resources.${path} ${JSON.stringify(value)} is not a quantity`);
    }
    const ports = container.ports ?? [];
    if (ports.some((port) => port.containerPort !== configPort)) problem(file, `${where}: containerPort differs from server.port ${configPort} in breakwater.scale-out.yaml`);
    const probes = ['startupProbe', 'readinessProbe', 'livenessProbe'].filter((probe) => container[probe]);
    if (isService) {
      for (const probe of ['readinessProbe', 'livenessProbe']) if (!container[probe]) problem(file, `${where}: set ${probe}`);
      if (container.readinessProbe?.httpGet?.path !== '/readyz') problem(file, `${where}: readinessProbe should GET /readyz`);
      if (container.livenessProbe?.httpGet?.path !== '/healthz') problem(file, `${where}: livenessProbe should GET /healthz (liveness must not depend on the store)`);
    }
    for (const probe of probes) {
      const port = container[probe].httpGet?.port;
      if (port !== undefined && !ports.some((entry) => entry.name === port || entry.containerPort === port))
        problem(file, `${where}: ${probe} uses port ${port}, which the container does not declare`);
    }
    const security = container.securityContext ?? {};
    if (security.allowPrivilegeEscalation !== false) problem(file, `${where}: set securityContext.allowPrivilegeEscalation: false`);
    if (!security.capabilities?.drop?.includes('ALL')) problem(file, `${where}: drop ALL capabilities`);
    if (security.readOnlyRootFilesystem !== true) problem(file, `${where}: set securityContext.readOnlyRootFilesystem: true`);
    const mounts = container.volumeMounts ?? [];
    for (const mount of mounts) if (!volumes.has(mount.name)) problem(file, `${where}: volumeMount ${mount.name} has no volume`);
    if (security.readOnlyRootFilesystem && !mounts.some((mount) => mount.mountPath === '/tmp' && volumes.get(mount.name)?.emptyDir))
      problem(file, `${where}: a read-only root filesystem needs an emptyDir mounted at /tmp`);
    const configMount = mounts.find((mount) => volumes.get(mount.name)?.configMap);
    const env = new Map((container.env ?? []).map((variable) => [variable.name, variable.value]));
    if (configMount && !String(env.get('BREAKWATER_CONFIG') ?? '').startsWith(`${configMount.mountPath}/`))
      problem(file, `${where}: BREAKWATER_CONFIG should point into ${configMount.mountPath}`);
    const provided = new Set(env.keys());
    for (const source of container.envFrom ?? []) {
      const reference = source.secretRef ?? source.configMapRef;
      const target = find(source.secretRef ? 'Secret' : 'ConfigMap', namespace, reference?.name);
      if (!target) problem(file, `${where}: envFrom names ${reference?.name}, which is not declared`);
      else for (const key of Object.keys({ ...target.object.data, ...target.object.stringData })) provided.add(key);
    }
    for (const name of secretEnvNames)
      if (configMount && !provided.has(name)) problem(file, `${where}: breakwater.yaml references { env: ${name} }, which this container does not receive`);
  }
  return pod;
}

function checkDeployment(file, object, label) {
  const selector = object.spec?.selector?.matchLabels ?? {};
  const templateLabels = object.spec?.template?.metadata?.labels ?? {};
  if (Object.keys(selector).length === 0) problem(file, `${label}: spec.selector.matchLabels is empty`);
  for (const [key, value] of Object.entries(selector)) if (templateLabels[key] !== value) problem(file, `${label}: selector ${key}=${value} does not match the template labels`);
  const pod = checkPodSpec(file, object, label, { isService: true });
  if (!pod) return;
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  for (const container of pod.containers ?? []) {
    const [command, , role] = container.args ?? [];
    if (command !== 'serve' || !['api', 'worker', 'all'].includes(role)) problem(file, `${label}: container ${container.name} should run ["serve", "--role", "api"|"worker"]`);
    const preStop = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? container.lifecycle?.preStop?.sleep?.seconds ?? 0);
    if (role === 'api' && preStop === 0) problem(file, `${label}: API containers need a preStop sleep so endpoints are removed before SIGTERM`);
    if (role !== 'api' && grace * 1000 < shutdownGraceMs + preStop * 1000 + 5000)
      problem(file, `${label}: terminationGracePeriodSeconds ${grace} leaves under 5 s beyond jobs.shutdownGraceMs (${shutdownGraceMs} ms)`);
    if (grace <= preStop) problem(file, `${label}: terminationGracePeriodSeconds ${grace} must exceed the preStop sleep (${preStop} s)`);
  }
}

function checkJob(file, object, label) {
  const pod = checkPodSpec(file, object, label, { isService: false });
  if (!pod) return;
  if (!['Never', 'OnFailure'].includes(pod.restartPolicy)) problem(file, `${label}: restartPolicy must be Never or OnFailure`);
  if (object.spec.podFailurePolicy && pod.restartPolicy !== 'Never') problem(file, `${label}: podFailurePolicy needs restartPolicy: Never`);
  for (const rule of object.spec.podFailurePolicy?.rules ?? []) {
    const name = rule.onExitCodes?.containerName;
    if (name && !pod.containers.some((container) => container.name === name)) problem(file, `${label}: podFailurePolicy names container ${name}, which does not exist`);
  }
}

function checkService(file, object, label) {
  const matched = deploymentsSelectedBy(object.spec?.selector, object.metadata.namespace);
  if (matched.length === 0) return problem(file, `${label}: selector matches no Deployment`);
  for (const port of object.spec.ports ?? []) {
    if (typeof port.targetPort !== 'string') continue;
    const declared = matched.some(({ object: deployment }) =>
      deployment.spec.template.spec.containers.some((container) => (container.ports ?? []).some((entry) => entry.name === port.targetPort)),
    );
    if (!declared) problem(file, `${label}: targetPort ${port.targetPort} is not a named port of the selected pods`);
  }
}

function checkDisruptionBudget(file, object, label) {
  const matched = deploymentsSelectedBy(object.spec?.selector?.matchLabels, object.metadata.namespace);
  if (matched.length === 0) return problem(file, `${label}: selector matches no Deployment`);
  const { minAvailable } = object.spec;
  if ((minAvailable === undefined) === (object.spec.maxUnavailable === undefined)) problem(file, `${label}: set exactly one of minAvailable and maxUnavailable`);
  for (const { object: deployment } of matched) {
    if (typeof minAvailable === 'number' && minAvailable >= (deployment.spec.replicas ?? 1))
      problem(file, `${label}: minAvailable ${minAvailable} >= replicas of ${deployment.metadata.name}: node drains would block`);
  }
}

function checkConfigMap(file, object, label) {
  const data = object.data ?? {};
  if (object.metadata?.name === 'breakwater-config') {
    const embedded = data['breakwater.yaml'];
    if (typeof embedded !== 'string') return problem(file, `${label}: data."breakwater.yaml" is missing`);
    parseYamlText(embedded, file, 'breakwater.yaml: ');
    if (existsSync(configFile) && embedded !== readFileSync(configFile, 'utf8'))
      problem(file, `${label}: data."breakwater.yaml" differs from ${at(configFile)}; copy it over (indented by 4 spaces)`);
  }
  if (typeof data['config.yaml'] === 'string') {
    const [adapterConfig] = parseYamlText(data['config.yaml'], file, 'config.yaml: ');
    for (const [index, rule] of [...(adapterConfig?.externalRules ?? []), ...(adapterConfig?.rules ?? [])].entries()) {
      const where = `${label} rule ${index}`;
      if (typeof rule.seriesQuery !== 'string') problem(file, `${where}: seriesQuery is missing`);
      const query = String(rule.metricsQuery ?? '');
      if (!query.includes('<<.Series>>') || !query.includes('<<.LabelMatchers>>')) problem(file, `${where}: metricsQuery must use <<.Series>> and <<.LabelMatchers>>`);
      if (
        [...query].filter((c) => c === '(').length !== [...query].filter((c) => c === ')').length ||
        [...query].filter((c) => c === '{').length !== [...query].filter((c) => c === '}').length
      )
        problem(file, `${where}: unbalanced brackets in metricsQuery`);
      if (!rule.name?.as) problem(file, `${where}: set name.as (the metric name the HPA uses)`);
      else adapterMetrics.add(rule.name.as);
    }
  }
}

function checkSecret(file, object, label) {
  const values = { ...object.stringData, ...object.data };
  if (!file.includes('example')) return;
  for (const [key, value] of Object.entries(values)) {
    if (value !== '' && !String(value).includes('CHANGE_ME')) problem(file, `${label}: ${key} in an example Secret must be empty or a CHANGE_ME placeholder`);
  }
}

function checkAutoscaler(file, object, label) {
  const { scaleTargetRef: target, minReplicas = 1, maxReplicas, metrics = [] } = object.spec ?? {};
  const deployment = target?.kind === 'Deployment' ? find('Deployment', object.metadata.namespace, target.name) : undefined;
  if (!deployment) return problem(file, `${label}: scaleTargetRef ${target?.kind}/${target?.name} is not a declared Deployment`);
  if (!(maxReplicas >= minReplicas)) problem(file, `${label}: maxReplicas must be >= minReplicas`);
  if (metrics.length === 0) problem(file, `${label}: no metrics`);
  for (const metric of metrics) {
    if (metric.type === 'Resource') {
      const resource = metric.resource?.name;
      const missing = deployment.object.spec.template.spec.containers.filter((container) => container.resources?.requests?.[resource] === undefined);
      if (missing.length > 0) problem(file, `${label}: scaling on ${resource} needs resources.requests.${resource} in every container`);
    } else if (metric.type === 'External' || metric.type === 'Object') {
      const spec = metric.external ?? metric.object;
      if (!adapterMetrics.has(spec?.metric?.name))
        pendingExternal.push([file, `${label}: metric ${spec?.metric?.name} is not exposed by any Prometheus Adapter rule (name.as)`, spec?.metric?.name]);
      const targetValue = spec?.target?.averageValue ?? spec?.target?.value;
      if (!['AverageValue', 'Value'].includes(spec?.target?.type) || targetValue === undefined)
        problem(file, `${label}: ${metric.type} metric needs target type AverageValue or Value with a value`);
    } else problem(file, `${label}: unsupported metric type ${metric.type}`);
  }
}
// Adapter rules may be declared after the HPA, so these are settled once all objects are read.
for (const { file, object } of objects) {
  const { apiVersion, kind, metadata } = object;
  if (!knownKinds[apiVersion]?.includes(kind)) {
    problem(
      file,
      `unknown apiVersion/kind ${apiVersion}/${kind} (known: ${Object.entries(knownKinds)
        .map(([version, kinds]) => kinds.map((k) => `${version}/${k}`).join(', '))
        .join(', ')})`,
    );
    continue;
  }
  const name = metadata?.name;
  if (typeof name !== 'string' || !dnsSubdomain.test(name) || name.length > 253) problem(file, `${kind}: metadata.name ${JSON.stringify(name)} is not a DNS-1123 name`);
  if (kind !== 'Namespace' && typeof metadata?.namespace !== 'string') problem(file, `${kind}/${name}: set metadata.namespace`);
  const identity = `${kind}/${metadata?.namespace}/${name}`;
  if (seen.has(identity)) problem(file, `${identity} is declared twice`);
  seen.add(identity);
  for (const [key, value] of Object.entries(metadata?.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value))
      problem(file, `${kind}/${name}: label ${key} has an invalid value ${JSON.stringify(value)}`);
  }
  const label = `${kind}/${name}`;
  const check = {
    Deployment: checkDeployment,
    Job: checkJob,
    Service: checkService,
    PodDisruptionBudget: checkDisruptionBudget,
    HorizontalPodAutoscaler: checkAutoscaler,
    ConfigMap: checkConfigMap,
    Secret: checkSecret,
  }[kind];
  check?.(file, object, label);
}

for (const [file, message, name] of pendingExternal) if (!adapterMetrics.has(name)) problem(file, message);

for (const { file, object } of objects) {
  const namespace = object.metadata?.namespace;
  if (namespace && !namespaces.has(namespace) && namespace !== 'monitoring')
    problem(file, `${object.kind}/${object.metadata.name}: namespace ${namespace} is not declared in deploy/kubernetes`);
}

// ---------------------------------------------------------------------------------------------
// docker compose: services, dependencies, mounts, variables.

const composeFile = join(deployDir, 'docker-compose.yml');
const compose = only(composeFile) ?? {};
const envExample = new Map(
  readFileSync(join(deployDir, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const services = compose.services ?? {};
if (Object.keys(services).length === 0) problem(composeFile, 'no services');
const dockerfileText = readFileSync(join(root, 'Dockerfile'), 'utf8');
const hasHealthcheck = (service) => (service.healthcheck ? service.healthcheck.disable !== true : service.build !== undefined && /^HEALTHCHECK\s+(?!NONE)/m.test(dockerfileText));

// Anchors repeat the same strings in several services: report each variable once.
const reportedVariables = new Set();
(function interpolations(value, path) {
  if (typeof value === 'string') {
    for (const match of value.replaceAll('$$', '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = match[1] ?? match[3];
      if (reportedVariables.has(name)) continue;
      reportedVariables.add(name);
      if (!envExample.has(name)) problem(composeFile, `${path}: \${${name}} is not listed in deploy/.env.example`);
      else if (match[2]?.endsWith('?') && envExample.get(name) === '') problem(composeFile, `${path}: \${${name}} is required but has no placeholder in deploy/.env.example`);
    }
  } else if (Array.isArray(value)) value.forEach((item, index) => interpolations(item, `${path}[${index}]`));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) interpolations(item, path ? `${path}.${key}` : key);
})(compose, '');

for (const [name, service] of Object.entries(services)) {
  const where = `services.${name}`;
  if (!service.image && !service.build) problem(composeFile, `${where}: needs image or build`);
  if (service.image && /:latest$|^[^:@]+$/.test(service.image.replace(/\$\{[^}]*\}/g, 'x:1'))) problem(composeFile, `${where}: pin the image tag (${service.image})`);
  if (service.build) {
    const context = resolve(deployDir, service.build.context ?? service.build);
    if (!existsSync(join(context, service.build.dockerfile ?? 'Dockerfile'))) problem(composeFile, `${where}: build context has no ${service.build.dockerfile ?? 'Dockerfile'}`);
  }
  const dependencies = Array.isArray(service.depends_on) ? Object.fromEntries(service.depends_on.map((dependency) => [dependency, {}])) : (service.depends_on ?? {});
  for (const [dependency, options] of Object.entries(dependencies)) {
    const target = services[dependency];
    const condition = options?.condition ?? 'service_started';
    if (!target) {
      problem(composeFile, `${where}.depends_on: no service named ${dependency}`);
      continue;
    }
    if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition))
      problem(composeFile, `${where}.depends_on.${dependency}: unknown condition ${condition}`);
    if (condition === 'service_healthy' && !hasHealthcheck(target))
      problem(composeFile, `${where}.depends_on.${dependency}: service_healthy, but ${dependency} has no healthcheck`);
    if (target.profiles && !service.profiles) problem(composeFile, `${where}.depends_on.${dependency}: ${dependency} only runs in profile(s) ${target.profiles.join(', ')}`);
  }
  for (const volume of service.volumes ?? []) {
    const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
    if (/^\.{0,2}\//.test(source)) {
      if (!existsSync(resolve(deployDir, source))) problem(composeFile, `${where}.volumes: ${source} does not exist`);
    } else if (!(source in (compose.volumes ?? {}))) problem(composeFile, `${where}.volumes: named volume ${source} is not declared under volumes`);
  }
  const mountsConfig = (service.volumes ?? []).some((volume) => String(volume).includes('breakwater.scale-out.yaml'));
  if (mountsConfig) {
    const environment = Array.isArray(service.environment) ? Object.fromEntries(service.environment.map((entry) => entry.split('='))) : (service.environment ?? {});
    for (const variable of secretEnvNames)
      if (!(variable in environment)) problem(composeFile, `${where}: breakwater.yaml references { env: ${variable} }, which this service does not set`);
    if (!String(environment.BREAKWATER_CONFIG ?? '').endsWith('.yaml')) problem(composeFile, `${where}: set BREAKWATER_CONFIG to the mounted breakwater.yaml`);
    const [command, , role] = service.command ?? [];
    const graceSeconds = Number(String(service.stop_grace_period ?? '10s').replace(/s$/, ''));
    if (command === 'serve' && role !== 'api' && graceSeconds * 1000 <= shutdownGraceMs)
      problem(composeFile, `${where}: stop_grace_period must exceed jobs.shutdownGraceMs (${shutdownGraceMs} ms)`);
    if (command === 'serve' && !hasHealthcheck(service)) problem(composeFile, `${where}: no healthcheck`);
  }
  if (!service.profiles && !service.build && service.restart !== 'no' && !hasHealthcheck(service))
    problem(composeFile, `${where}: long-running infrastructure service without a healthcheck`);
}

// ---------------------------------------------------------------------------------------------
// Prometheus and OpenTelemetry collector configs used by the compose `observability` profile.

const prometheusFile = join(deployDir, 'prometheus.yml');
const jobNames = new Set();
for (const job of only(prometheusFile)?.scrape_configs ?? []) {
  if (jobNames.has(job.job_name)) problem(prometheusFile, `job_name ${job.job_name} is used twice`);
  jobNames.add(job.job_name);
  for (const discovery of job.dns_sd_configs ?? [])
    for (const host of discovery.names ?? []) if (!services[host]) problem(prometheusFile, `${job.job_name}: ${host} is not a compose service`);
  for (const group of job.static_configs ?? [])
    for (const target of group.targets ?? []) if (!/^[^:\s]+:\d+$/.test(target)) problem(prometheusFile, `${job.job_name}: target ${target} is not host:port`);
}
if (!['api', 'worker'].every((service) => [...(only(prometheusFile)?.scrape_configs ?? [])].some((job) => JSON.stringify(job).includes(`"${service}"`))))
  problem(prometheusFile, 'scrape both the api and the worker service');

const collectorFile = join(deployDir, 'otel-collector.yaml');
const collector = only(collectorFile) ?? {};
for (const [pipeline, stages] of Object.entries(collector.service?.pipelines ?? {})) {
  for (const section of ['receivers', 'processors', 'exporters']) {
    for (const component of stages[section] ?? [])
      if (!(component in (collector[section] ?? {}))) problem(collectorFile, `service.pipelines.${pipeline}: ${section} ${component} is not defined`);
  }
}
for (const extension of collector.service?.extensions ?? [])
  if (!(extension in (collector.extensions ?? {}))) problem(collectorFile, `service.extensions: ${extension} is not defined`);

// ---------------------------------------------------------------------------------------------
// Dockerfile (hadolint-style rules that a regex can check) and .dockerignore.

const dockerfile = join(root, 'Dockerfile');
const instructions = dockerfileText
  .replace(/\\\r?\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line);
    return { keyword: keyword.toUpperCase(), rest };
  });
const argDefaults = new Map();
const stages = [];
for (const { keyword, rest } of instructions) {
  if (keyword === 'ARG' && stages.length === 0) {
    const [name, value] = rest.split('=');
    argDefaults.set(name, value);
  }
  if (keyword === 'FROM') {
    const [image, , alias] = rest.replace(/--platform=\S+\s+/, '').split(/\s+/);
    const resolved = image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name) => argDefaults.get(name) ?? '');
    stages.push({ alias, instructions: [] });
    if (stages.some((stage) => stage.alias === resolved)) continue;
    if (!/[:@]/.test(resolved.split('/').pop()) || resolved.endsWith(':latest')) problem(dockerfile, `FROM ${image}: pin a tag (not latest) or a digest`);
  } else stages.at(-1)?.instructions.push({ keyword, rest });
}
const final = stages.at(-1)?.instructions ?? [];
const last = (keyword) => final.filter((instruction) => instruction.keyword === keyword).at(-1)?.rest;
const user = last('USER');
if (!user) problem(dockerfile, 'the final stage sets no USER: the container would run as root');
else if (/^(root|0)(:|$)/.test(user)) problem(dockerfile, `USER ${user} is root`);
else if (!/^\d+(:\d+)?$/.test(user)) problem(dockerfile, `USER ${user}: use a numeric uid so Kubernetes runAsNonRoot can verify it`);
if (!last('HEALTHCHECK') || /^NONE/.test(last('HEALTHCHECK'))) problem(dockerfile, 'the final stage has no HEALTHCHECK');
else if (!last('HEALTHCHECK').includes('/healthz')) problem(dockerfile, 'HEALTHCHECK should probe /healthz');
if (!/\b8080\b/.test(last('EXPOSE') ?? '')) problem(dockerfile, 'EXPOSE 8080 in the final stage');
if (!/^\["node", (?:"--[a-z-]+=[^"]+", )*"dist\/cli\/main\.js"\]$/.test(last('ENTRYPOINT') ?? '')) {
  problem(dockerfile, 'ENTRYPOINT should be the exec form ["node", <flags>, "dist/cli/main.js"] (so node receives SIGTERM)');
}
if (!/^\[/.test(last('CMD') ?? '')) problem(dockerfile, 'CMD should use the exec form');
if (!final.some(({ keyword, rest }) => keyword === 'ENV' && /NODE_ENV=production/.test(rest))) problem(dockerfile, 'set NODE_ENV=production in the final stage');
if (!final.some(({ keyword, rest }) => keyword === 'ENV' && /HOST=0\.0\.0\.0/.test(rest)))
  problem(dockerfile, 'set HOST=0.0.0.0 in the final stage (the default 127.0.0.1 is unreachable from outside the container)');
let sourcesCopied = false;
for (const { keyword, rest } of stages.flatMap((stage) => stage.instructions)) {
  if (keyword === 'COPY' && /\bsrc\b/.test(rest) && !rest.includes('--from')) sourcesCopied = true;
  if (keyword === 'ADD' && /https?:\/\//.test(rest)) problem(dockerfile, 'ADD <url>: download with RUN and verify a checksum instead');
  if (keyword === 'MAINTAINER') problem(dockerfile, 'MAINTAINER is deprecated; use a LABEL');
  if (keyword !== 'RUN') continue;
  if (/apt-get install/.test(rest) && !/--no-install-recommends/.test(rest)) problem(dockerfile, 'apt-get install without --no-install-recommends');
  if (/apt-get install/.test(rest) && !/rm -rf \/var\/lib\/apt\/lists/.test(rest)) problem(dockerfile, 'apt-get install without removing /var/lib/apt/lists in the same RUN');
  if (/\bnpm (install|i)\b/.test(rest)) problem(dockerfile, 'use npm ci (the lockfile), not npm install');
  if (/\bnpm ci\b/.test(rest) && !sourcesCopied && !/--ignore-scripts/.test(rest))
    problem(dockerfile, 'npm ci before the sources are copied runs the `prepare` build and fails: add --ignore-scripts');
  if (/\bsudo\b/.test(rest)) problem(dockerfile, 'do not use sudo');
}

const ignoreFile = join(root, '.dockerignore');
if (!existsSync(ignoreFile)) problem(ignoreFile, 'missing');
else {
  const patterns = readFileSync(ignoreFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const required of ['node_modules', '.git', '.env']) if (!patterns.includes(required)) problem(ignoreFile, `should exclude ${required}`);
  const toRegExp = (pattern) =>
    new RegExp(
      `^${pattern
        .replace(/^\//, '')
        .replace(/[.+^$()|[\]{}]/g, '\\$&')
        .replace(/\*\*\//g, '(.*/)?')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')}(/.*)?$`,
    );
  const ignored = (path) =>
    patterns.reduce((state, pattern) => (pattern.startsWith('!') ? (toRegExp(pattern.slice(1)).test(path) ? false : state) : toRegExp(pattern).test(path) ? true : state), false);
  const copied = instructions
    .filter(({ keyword, rest }) => keyword === 'COPY' && !rest.includes('--from'))
    .flatMap(({ rest }) =>
      rest
        .split(/\s+/)
        .filter((part) => !part.startsWith('--'))
        .slice(0, -1),
    );
  for (const path of copied) {
    if (!existsSync(join(root, path))) problem(dockerfile, `COPY ${path}: no such file in the repository`);
    if (ignored(path)) problem(ignoreFile, `excludes ${path}, which the Dockerfile copies`);
  }
}

// ---------------------------------------------------------------------------------------------

const composeServices = Object.keys(services).length;
console.log(
  `lint:deploy: ${parsed.size} YAML files, ${objects.length} Kubernetes objects, ${composeServices} compose services, Dockerfile (${stages.length} stages), .dockerignore`,
);
for (const file of parsed.keys()) console.log(`  ${problems.some((line) => line.startsWith(`${at(file)}:`)) ? 'FAIL' : 'ok  '} ${at(file)}`);
for (const line of problems) console.log(`problem: ${line}`);
console.log(problems.length === 0 ? 'lint:deploy: no problems' : `lint:deploy: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
