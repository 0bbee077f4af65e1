/** A validation path as users write it: `providers.openai.baseUrl`, `messages[0].role`. */
export function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}
