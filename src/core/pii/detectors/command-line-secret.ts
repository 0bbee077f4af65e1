import type { Detection } from '../pii-type.js';
import { looksRandom } from './context-secret.js';

// Each pattern reads a bounded stretch after its anchor (a command name, a flag, a label), so
// every start costs a bounded scan and the whole pass stays linear in the text.
const patterns: readonly { pattern: RegExp; hint: RegExp }[] = [
  // redis-cli -h cache -a s3cr3t
  { pattern: /(?<![\w-])redis-cli\b[^\n]{0,200}?[ \t]-a[ \t]+["']?([^\s"']{6,128})/g, hint: /redis-cli/ },
  // mysql -u root -ps3cr3t, mysqldump --password=s3cr3t
  { pattern: /(?<![\w-])(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n]{0,200}?[ \t](?:-p|--password=)([^\s"'-][^\s"']{5,127})/g, hint: /mysql|mariadb/ },
  // sshpass -p 's3cr3t' ssh host
  { pattern: /(?<![\w-])sshpass[ \t]+-p[ \t]*["']?([^\s"']{6,128})/g, hint: /sshpass/ },
  // docker login -u bot -p s3cr3t registry, helm repo add … --password s3cr3t
  { pattern: /(?<![\w-])(?:login|repo add)\b[^\n]{0,200}?[ \t](?:-p|--password)(?:[ \t]+|=)["']?([^\s"'-][^\s"']{5,127})/g, hint: /login|repo add/ },
  // curl -u admin:s3cr3t, wget --user bob:s3cr3t
  { pattern: /(?<![\w-])(?:-u|--user)[ \t]+["']?[^\s:"']{1,64}:([^\s@"']{6,128})/g, hint: /-u|--user/ },
  // PGPASSWORD=…, MYSQL_ROOT_PASSWORD=…, REDIS_PASS=…: an environment variable named as a secret.
  {
    pattern: /(?<![A-Za-z0-9_])[A-Z][A-Z0-9_]{0,32}?(?:PASSWORD|PASSWD|PWD|PASS|SECRET|TOKEN|APIKEY|API_KEY|ACCESS_KEY)[ \t]*=[ \t]*["']?([^\s"'`;]{6,256})/g,
    hint: /PASS|PWD|SECRET|TOKEN|KEY/,
  },
  // ~/.pgpass: host:port:database:user:password
  { pattern: /(?:^|\n)[ \t]*[\w.*-]{1,253}:(?:\d{1,5}|\*):[\w*-]{1,63}:[\w*-]{1,63}:(\S{6,128})(?=[ \t]*(?:\n|$))/g, hint: /:/ },
  // "AWS Secret Access Key [None]: …", "the API secret for the Twilio key is …": words between the label and its value.
  {
    pattern:
      /(?<![\p{L}])(?:secret[ _-]access[ _-]key|api[ _-]secret|auth[ _-]token|access[ _-]token|api[ _-]key|secret[ _-]key|client[ _-]secret)(?:[ \t]+[^\s:=]{1,20}){1,6}[ \t]*(?::|=|[ \t]is[ \t])[ \t]*["']?([^\s"',;]{16,256})/giu,
    hint: /secret|token|key/i,
  },
];

const notPasswords = new Set(['changeme', 'password', 'required', 'optional', 'undefined', 'redacted', 'placeholder', 'yourpassword', 'secret', 'example']);
// "$REDIS_PASSWORD", "${DB_PASS}", "%PASSWORD%", "<password>", "********", "[FILTERED]".
const placeholder = /^(?:[$%<{[]|[*•·xX#.-]{3,}$)/;

/** A value that is a secret rather than a word, a variable or a mask: random-looking, or mixing digits, letters and symbols. */
function secretValue(value: string): boolean {
  if (placeholder.test(value) || notPasswords.has(value.toLowerCase())) return false;
  return looksRandom(value) || (/\d/.test(value) && /\p{L}/u.test(value) && /[^\p{L}\d]/u.test(value));
}

/**
 * Passwords and keys as people type them on command lines and in prompts: `redis-cli -a`,
 * `mysql -p…`, `sshpass -p`, `docker login -p`, `curl -u user:…`, environment variables
 * named as secrets, `.pgpass` lines, and a key label with words before its value.
 */
export function detectCommandLineSecrets(text: string): Detection[] {
  const found: Detection[] = [];
  for (const { pattern, hint } of patterns) {
    if (!hint.test(text)) continue;
    for (const match of text.matchAll(pattern)) {
      const value = match[1]!.replace(/[.)]+$/, '');
      if (!secretValue(value)) continue;
      const start = match.index + match[0].lastIndexOf(match[1]!);
      found.push({ type: 'SECRET', start, end: start + value.length });
    }
  }
  return found;
}
