/** The one error a guardrail definition raises when it breaks a rule. */
import { InputError } from '../core/errors.js';

/**
 * A guardrail definition broke a rule. `path` is inside the definition (`topics[2].definition`);
 * the environment loader re-throws it as an InputError naming the definition file.
 * Extends InputError so an uncaught one still exits 2.
 */
export class GuardrailDefinitionError extends InputError {
  constructor(path: string, expected: string, file?: string) {
    super(file, path, expected);
    this.name = 'GuardrailDefinitionError';
  }
}
