import { describeType, type OptionProblem } from './option-rules';

/**
 * A secret or key option must be a string, a Buffer, or a list of them; the message names only
 * the type, never the value. Unset passes (the secret rules report a missing one).
 *
 * @internal
 */
export function secretTypeProblem(name: string, value: unknown): OptionProblem {
  if (value === undefined || isSecretLike(value)) {
    return undefined;
  }
  if (Array.isArray(value) && value.every(isSecretLike)) {
    return undefined;
  }
  const what = Array.isArray(value) ? 'a list holding something else' : describeType(value);
  return `${name} is ${what}; pass a string or a Buffer, or a list of them.`;
}

function isSecretLike(value: unknown): boolean {
  return typeof value === 'string' || Buffer.isBuffer(value);
}
