/**
 * The go-plugin side of the executable: magic cookie, protocol choice, AutoMTLS, a unix socket in
 * a private temp dir, the one handshake line on stdout, and go-plugin's side services (Controller,
 * Stdio, Broker, health). Part of the provider double, a TEST DOUBLE of hashicorp/aws for the local
 * emulator (never used against AWS). Behaviour follows hashicorp/go-plugin v1.6.0 server.go and
 * mtls.go, which Terraform 1.11.4 uses as the client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { serverCertificate } from './cert.js';
import { captureConsole, log } from './log.js';
import { loadServices, type Services } from './proto.js';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const PROTOCOL = '6';

/** go-plugin's words for a plugin started by hand. */
const NOT_A_COMMAND = `This binary is a plugin. These are not meant to be executed directly.
Please execute the program that consumes these plugins, which will
load any plugins automatically
`;

function exitWith(message: string): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(1);
}

/** The handshake's cert field: DER as base64 *without* `=` padding (Go reads it with RawStdEncoding). */
export function certField(pem: string): string {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return body.replace(/=+$/, '');
}

function addPluginServices(server: grpc.Server, services: Services, shutdown: () => void): void {
  server.addService(services.controller, {
    Shutdown: (_call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      callback(null, {});
      // Answer first, then go: without an exit go-plugin waits 2 s and SIGKILLs.
      setTimeout(shutdown, 10);
    },
  });
  // Kept open and silent: the double never writes to its own stdout/stderr for Terraform to mirror.
  server.addService(services.stdio, { StreamStdio: (call: grpc.ServerWritableStream<unknown, unknown>) => call.on('error', () => {}) });
  server.addService(services.broker, {
    StartStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      call.on('data', () => {});
      call.on('error', () => {});
      call.on('end', () => call.end());
    },
  });
  server.addService(services.health, {
    Check: (call: grpc.ServerUnaryCall<{ service?: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const known = !call.request.service || call.request.service === 'plugin';
      callback(null, { status: known ? 'SERVING' : 'SERVICE_UNKNOWN' });
    },
  });
}

/** Exit when Terraform is gone (reparenting changes ppid), so an orphan never lingers. */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, 500).unref();
}

/**
 * Validates the environment, binds, prints the handshake line and serves until Shutdown, SIGTERM
 * or the parent's exit. `register` adds the tfplugin6 service.
 */
export async function startPluginHost(register: (server: grpc.Server, services: Services) => void): Promise<void> {
  const loaded = performance.now(); // ms since process start: module loading is most of the start-up
  captureConsole();
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) exitWith(NOT_A_COMMAND);
  const offered = process.env.PLUGIN_PROTOCOL_VERSIONS;
  // The order is random (a Go map); pick 6 wherever it is.
  if (
    offered &&
    !offered
      .split(',')
      .map((v) => v.trim())
      .includes(PROTOCOL)
  )
    exitWith(`Incompatible API version with plugin. Plugin version: ${PROTOCOL}, Client versions: ${offered}`);

  const dir = mkdtempSync(join(tmpdir(), 'tfpd-'));
  const socket = join(dir, 'plugin.sock');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', cleanup);
  const server = new grpc.Server();
  const shutdown = () => {
    log('shutting down');
    server.forceShutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => log('SIGINT ignored: Terraform stops providers with StopProvider'));
  process.on('SIGTERM', shutdown);
  watchParent(() => {
    log('parent process gone');
    shutdown();
  });

  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  // A fresh certificate is signed in WebCrypto's thread pool: start first so it overlaps the synchronous proto loading.
  const certificate = clientCert ? serverCertificate() : undefined;
  const services = loadServices();
  register(server, services);
  addPluginServices(server, services, shutdown);

  let certText = '';
  let credentials = grpc.ServerCredentials.createInsecure();
  if (clientCert && certificate) {
    const { key, cert } = await certificate;
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ private_key: Buffer.from(key), cert_chain: Buffer.from(cert) }],
      true,
    );
    certText = certField(cert);
  }
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, credentials, (e) => (e ? reject(e) : resolve())));
  process.stdout.write(`1|${PROTOCOL}|unix|${socket}|grpc|${certText}\n`);
  log(
    `serving on ${socket}${clientCert ? ' (mTLS)' : ''}; modules loaded at ${Math.round(loaded)} ms, handshake at ${Math.round(performance.now())} ms`,
  );
}
