import { z } from 'zod';

/** Request bodies of the contract. Unknown fields are ignored; known ones are checked. */

// A missing scan token is a 403 (SCAN_TOKEN_INVALID) by contract, so the field is optional here.
const scanToken = z.string().max(512).optional();

// WeChat's launch scene values are 4-digit numbers (1047 = scanned a mini-program code).
// The owner's scan token, when given, resumes its own scan (a reload of the confirm page).
export const scanBody = z.object({
  launchScene: z.number().int().min(1000).max(9999).optional(),
  scanToken,
});

export const confirmBody = z.object({
  scanToken,
  code: z.string().min(1).max(256),
  profile: z
    .object({
      // Control characters are nobody's name, and PostgreSQL's text refuses NUL outright.
      nickname: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
        .optional(),
      // An avatar is something the mini-program uploaded; only web URLs are shown to pages.
      avatarUrl: z.url({ protocol: /^https?$/ }).max(1024).optional(),
    })
    .optional(),
});

export const cancelBody = z.object({
  scanToken,
});
