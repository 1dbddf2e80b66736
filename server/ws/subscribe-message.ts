import { z } from 'zod';
import { InvalidJson, InvalidRequest } from '../errors';

const subscribeSchema = z.object({
  type: z.literal('subscribe'),
  ticketId: z.string().min(1).max(128),
  secret: z.string().max(512),
});

export type SubscribeMessage = z.infer<typeof subscribeSchema>;

/** `{"type":"subscribe","ticketId","secret"}` or a 400-class error saying what is wrong. */
export function parseSubscribe(text: string | undefined): SubscribeMessage {
  if (text === undefined) throw new InvalidRequest('binary messages are not accepted');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidJson('message is not JSON');
  }
  const parsed = subscribeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidRequest(`${issue.path.join('.') || 'message'}: ${issue.message}`);
  }
  return parsed.data;
}
