/**
 * Logging for the provider double (a TEST DOUBLE of hashicorp/aws for the local emulator; never
 * used against AWS). stdout belongs to the go-plugin handshake line alone, so logs go to stderr
 * (Terraform shows it under TF_LOG) or, when PROVIDER_DOUBLE_LOG names a file, are appended there.
 */
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';

export function log(...parts: unknown[]): void {
  const line = `${new Date().toISOString()} [provider-double ${process.pid}] ${format(...parts)}\n`;
  const file = process.env.PROVIDER_DOUBLE_LOG;
  try {
    if (file) appendFileSync(file, line);
    else process.stderr.write(line);
  } catch {
    // logging must never take the provider down
  }
}

/** Libraries that print with console.log would corrupt the plugin's stdout: route every console method here. */
export function captureConsole(): void {
  for (const m of ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const)
    console[m] = (...args: unknown[]) => log(`console.${m}:`, ...args);
}
