/**
 * OpenAI-compatible vendors are data, not classes: a base URL and the quirks that differ.
 * `streamUsage: false` means the vendor rejects `stream_options`, so Breakwater does not
 * send it and counts streamed tokens itself.
 */
export interface VendorProfile {
  baseUrl: string;
  /** Parameter that carries the output cap upstream. */
  outputCapParam: 'max_tokens' | 'max_completion_tokens';
  streamUsage: boolean;
}

export const vendorProfiles: Readonly<Record<string, VendorProfile>> = {
  openai: { baseUrl: 'https://api.openai.com/v1', outputCapParam: 'max_completion_tokens', streamUsage: true },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', outputCapParam: 'max_tokens', streamUsage: true },
  together: { baseUrl: 'https://api.together.xyz/v1', outputCapParam: 'max_tokens', streamUsage: true },
  fireworks: { baseUrl: 'https://api.fireworks.ai/inference/v1', outputCapParam: 'max_tokens', streamUsage: true },
  deepseek: { baseUrl: 'https://api.deepseek.com/v1', outputCapParam: 'max_tokens', streamUsage: true },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', outputCapParam: 'max_tokens', streamUsage: false },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', outputCapParam: 'max_tokens', streamUsage: true },
  ollama: { baseUrl: 'http://127.0.0.1:11434/v1', outputCapParam: 'max_tokens', streamUsage: true },
  vllm: { baseUrl: 'http://127.0.0.1:8000/v1', outputCapParam: 'max_tokens', streamUsage: true },
  llamacpp: { baseUrl: 'http://127.0.0.1:8080/v1', outputCapParam: 'max_tokens', streamUsage: true },
  generic: { baseUrl: '', outputCapParam: 'max_tokens', streamUsage: true },
};
