import type { z } from 'zod';
import { InvalidRequest } from '../errors';

/** Checks input against a schema; the error names the first bad field and why. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new InvalidRequest(`Invalid request: ${problems.join('; ')}.`, { problems });
}
