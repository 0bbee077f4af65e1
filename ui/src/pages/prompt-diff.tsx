import { diffLines } from 'diff';
import { useMemo } from 'react';
import type { WirePromptVersion } from '../../../src/wire/prompts';

/** A version as text, one fact a line, so a diff shows what changed in the messages, model, parameters and variables. */
export function versionText(version: WirePromptVersion): string {
  const lines: string[] = [];
  lines.push(`model: ${version.model ?? '(the request’s)'}`);
  lines.push(`parameters: ${JSON.stringify(version.parameters)}`);
  if (version.description) lines.push(`description: ${version.description}`);
  for (const [name, spec] of Object.entries(version.variables)) lines.push(`variable ${name}: ${JSON.stringify(spec)}`);
  for (const message of version.messages) {
    lines.push(`[${message.role}]`);
    lines.push(...message.content.split('\n'));
  }
  if (version.response_schema) lines.push(...`response_schema: ${JSON.stringify(version.response_schema, null, 2)}`.split('\n'));
  return `${lines.join('\n')}\n`;
}

export default function VersionDiff({ from, to }: { from: WirePromptVersion; to: WirePromptVersion }) {
  const parts = useMemo(() => diffLines(versionText(from), versionText(to)), [from, to]);
  const changed = parts.some((part) => part.added || part.removed);
  return (
    <figure className="diff-figure">
      <figcaption>
        v{from.version} → v{to.version}: {changed ? 'lines removed are marked −, lines added +' : 'no difference'}
      </figcaption>
      <pre className="diff" data-testid="prompt-diff">
        {parts.flatMap((part, index) =>
          part.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line, lineIndex) => {
              const key = `${index}-${lineIndex}`;
              if (part.added)
                return (
                  <ins key={key} className="diff-line diff-add">
                    {`+ ${line}`}
                  </ins>
                );
              if (part.removed)
                return (
                  <del key={key} className="diff-line diff-del">
                    {`− ${line}`}
                  </del>
                );
              return <span key={key} className="diff-line">{`  ${line}`}</span>;
            }),
        )}
      </pre>
    </figure>
  );
}
