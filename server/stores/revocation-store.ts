/**
 * Session tokens logged out before they expire. A JWT cannot be recalled, so logout
 * writes its id here and every check of a token reads it; an entry is kept only until the
 * token would have expired anyway.
 */
export interface RevocationStore {
  revoke(tokenId: string, expiresAt: number): Promise<void>;
  isRevoked(tokenId: string): Promise<boolean>;
}
