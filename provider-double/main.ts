/**
 * Entry of the provider double executable that Terraform starts as registry.terraform.io/hashicorp/aws.
 * A TEST DOUBLE of hashicorp/aws for the local emulator (sandbox/): never used against AWS.
 * Bundled by build.ts; installed into a filesystem mirror by install.ts.
 */
import { awsProvider } from './provider.js';
import { serve } from './server.js';

await serve(awsProvider);
