/**
 * Loads the provider double's .proto files (tfplugin6, go-plugin, health) with @grpc/proto-loader.
 * Part of the provider double, a TEST DOUBLE of hashicorp/aws for the local emulator (never used
 * against AWS). The files sit in ./proto next to this module, and the build copies them next to the
 * bundle, so one relative URL serves both; PROVIDER_DOUBLE_PROTO_DIR overrides it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const PROTO_FILES = ['tfplugin6.proto', 'plugin.proto', 'health.proto'] as const;

export function protoDir(): string {
  return process.env.PROVIDER_DOUBLE_PROTO_DIR ?? fileURLToPath(new URL('./proto/', import.meta.url));
}

export interface Services {
  provider: grpc.ServiceDefinition;
  controller: grpc.ServiceDefinition;
  stdio: grpc.ServiceDefinition;
  broker: grpc.ServiceDefinition;
  health: grpc.ServiceDefinition;
}

type Pkg = { [name: string]: Pkg & { service: grpc.ServiceDefinition } };

/** Options measured to work with Terraform 1.11.4: names as written, int64 as number, enums as names. */
export function loadServices(dir = protoDir()): Services {
  const def = protoLoader.loadSync(
    PROTO_FILES.map((f) => join(dir, f)),
    { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: true },
  );
  const root = grpc.loadPackageDefinition(def) as unknown as Pkg;
  return {
    provider: root.tfplugin6.Provider.service,
    controller: root.plugin.GRPCController.service,
    stdio: root.plugin.GRPCStdio.service,
    broker: root.plugin.GRPCBroker.service,
    health: root.grpc.health.v1.Health.service,
  };
}
