import { ClientError } from '../api-client.js';

export interface CatalogueEntry {
  /** `hf:<owner>/<repo>/<file>.gguf` (resolved against the hub) or an https URL. */
  uri: string;
  /** Left undefined unless taken from the publisher: a wrong checksum would fail every pull. */
  sha256?: string;
  sizeBytes?: number;
  description: string;
}

/**
 * Recommended local models, by the short name `breakwater models pull <name>` takes.
 * The repository and file names are as published on Hugging Face, written without network
 * access to check them; no checksum is listed because none could be confirmed here.
 * Pass `--sha256` to pin one.
 */
export const modelCatalogue: Readonly<Record<string, CatalogueEntry>> = {
  'qwen2.5-1.5b-instruct': {
    uri: 'hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    description: 'Qwen2.5 1.5B Instruct, Q4_K_M (about 1.1 GB): a small chat and extraction model that runs on a CPU',
  },
  'nomic-embed-text': {
    uri: 'hf:nomic-ai/nomic-embed-text-v1.5-GGUF/nomic-embed-text-v1.5.Q4_K_M.gguf',
    description: 'nomic-embed-text v1.5, Q4_K_M (about 85 MB): 768-dimension text embeddings',
  },
};

export const defaultModelHub = 'https://huggingface.co';

/** What to download and where it lands, whichever way the user named it. */
export interface ModelSource {
  url: string;
  fileName: string;
  /** The catalogue name, when the source is a catalogue entry. */
  name: string | null;
  sha256: string | null;
  sizeBytes: number | null;
}

/**
 * Resolves a catalogue name, an `hf:owner/repo/file` URI or an http(s) URL.
 * `hub` replaces https://huggingface.co for `hf:` URIs (a mirror, or a test server).
 *
 * @example resolveModelSource('hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf')
 *   // url: https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf
 */
export function resolveModelSource(source: string, hub: string = defaultModelHub): ModelSource {
  const entry = Object.hasOwn(modelCatalogue, source) ? modelCatalogue[source]! : null;
  const uri = entry ? entry.uri : source;
  const known = { name: entry ? source : null, sha256: entry?.sha256 ?? null, sizeBytes: entry?.sizeBytes ?? null };
  if (uri.startsWith('hf:')) {
    const segments = uri.slice(3).split('/');
    if (segments.length < 3 || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
      throw new ClientError('MODEL_SOURCE_INVALID', `${uri} is not an hf: URI: write hf:<owner>/<repo>/<file>.gguf`);
    }
    const [owner, repo, ...file] = segments;
    const path = [owner!, repo!, 'resolve', 'main', ...file].map(encodeURIComponent).join('/');
    return { url: `${hub.replace(/\/+$/, '')}/${path}`, fileName: file.at(-1)!, ...known };
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    const names = Object.keys(modelCatalogue).join(', ');
    throw new ClientError('MODEL_SOURCE_INVALID', `${source} is neither a catalogue name (${names}), an hf:<owner>/<repo>/<file>.gguf URI nor an https URL`);
  }
  const fileName = decodedFileName(url.pathname.split('/').at(-1) ?? '');
  if (fileName === '' || fileName === '.' || fileName === '..' || /[\\/]/.test(fileName)) {
    throw new ClientError('MODEL_SOURCE_INVALID', `${uri} does not end in a file name: give the URL of the .gguf file itself`);
  }
  return { url: url.href, fileName, ...known };
}

function decodedFileName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

/** The catalogue name whose file this is, so `models ls` can say what a file is. */
export function catalogueNameOf(fileName: string): string | null {
  for (const [name, entry] of Object.entries(modelCatalogue)) {
    if (entry.uri.split('/').at(-1) === fileName) return name;
  }
  return null;
}
