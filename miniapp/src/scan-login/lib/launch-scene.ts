/**
 * Launch scenes (`getLaunchOptionsSync().scene`) that mean the code was not scanned live
 * with the camera: 1048 long-pressed a code image (one forwarded in a chat), 1049 picked a
 * code image from the album. That is how a forwarded code reaches a victim (QRLJacking),
 * so the page warns before the visitor confirms.
 */
const FORWARDED_CODE_SCENES: ReadonlySet<number> = new Set([1048, 1049]);

/** The launch scene worth sending to the server: a positive integer (H5 reports 0). */
export function launchSceneOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function isForwardedCode(launchScene: number | undefined): boolean {
  return launchScene !== undefined && FORWARDED_CODE_SCENES.has(launchScene);
}
