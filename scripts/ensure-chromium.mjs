// Run before `npm test` (npm's pretest): the dashboard's browser tests (test/ui) drive a real
// Chromium. On a fresh Debian/Ubuntu machine where this runs as root, Debian's chromium package
// is installed (about a minute, once); elsewhere it says what to install. CHROMIUM_PATH points
// the tests at another Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.error(`The browser tests (test/ui) need Chromium at ${path}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
console.error('Installing Debian chromium for the browser tests (test/ui), once…');
try {
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' });
} catch {
  console.error('apt-get could not install chromium; install it by hand or set CHROMIUM_PATH.');
  process.exit(1);
}
