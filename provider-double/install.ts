/**
 * Installs a built provider double as registry.terraform.io/hashicorp/aws in a filesystem mirror
 * plus a CLI config that takes it from there, so `terraform init` works offline. The double is a
 * TEST DOUBLE of hashicorp/aws for the local emulator: never used against AWS.
 * Layout and CLI config: https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation
 * The package dir holds one small launcher whose content depends only on the node and bundle paths:
 * the lock file's h1 hash covers every file there, so a rebuilt bundle must not change it.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A version the double may report; the caller passes the one its stacks' constraints accept. */
export const DOUBLE_VERSION = '6.99.0';
export const PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';

export interface InstallOptions {
  readonly dir: string;
  /** The bundle built by build.ts (absolute or relative to cwd). */
  readonly bundle: string;
  readonly version: string;
  /** Default: the node running this (process.execPath). */
  readonly node?: string;
}

/** Terraform's platform name, e.g. linux_amd64. */
export function terraformPlatform(platform = process.platform, arch = process.arch): string {
  const os = platform === 'win32' ? 'windows' : platform;
  const cpu = arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
  return `${os}_${cpu}`;
}

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
const hclString = (s: string) => JSON.stringify(s);

/** Writes only when the content differs, so mtimes and hashes stay put on re-install. */
function writeIfChanged(file: string, content: string, mode?: number): void {
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== content) writeFileSync(file, content, mode === undefined ? undefined : { mode });
  if (mode !== undefined) chmodSync(file, mode);
}

export function launcherScript(node: string, bundle: string): string {
  // exec: go-plugin SIGKILLs its direct child; without exec the node grandchild would outlive Terraform.
  return `#!/bin/sh\n# Provider double: a TEST DOUBLE of hashicorp/aws for a local emulator, never used against AWS.\nexec ${shellQuote(node)} ${shellQuote(bundle)} "$@"\n`;
}

export function cliConfig(mirror: string): string {
  const address = hclString(PROVIDER_ADDRESS);
  return `# Written by provider-double/install.ts: hashicorp/aws comes from the local mirror (a test double), never the registry.
provider_installation {
  filesystem_mirror {
    path    = ${hclString(mirror)}
    include = [${address}]
  }
  direct {
    exclude = [${address}]
  }
}
`;
}

export async function installProviderDouble(opts: InstallOptions): Promise<{ cliConfigFile: string; env: Record<string, string> }> {
  const dir = resolve(opts.dir);
  const mirror = join(dir, 'mirror');
  const pkg = join(mirror, PROVIDER_ADDRESS, opts.version, terraformPlatform());
  mkdirSync(pkg, { recursive: true });
  writeIfChanged(
    join(pkg, `terraform-provider-aws_v${opts.version}`),
    launcherScript(resolve(opts.node ?? process.execPath), resolve(opts.bundle)),
    0o755,
  );
  const cliConfigFile = join(dir, 'terraformrc');
  writeIfChanged(cliConfigFile, cliConfig(mirror));
  return { cliConfigFile, env: { TF_CLI_CONFIG_FILE: cliConfigFile } };
}
