/**
 * What WeChat allows in a scene (WECHAT_API.md, getwxacodeunlimit). `%` is not among them,
 * so a `%` in what the page receives can only be URL encoding.
 */
const SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

/**
 * The ticket id from the confirm page's `scene` query parameter, or null when there is none
 * or it cannot be one.
 *
 * A scan hands the scene over URL-encoded and Taro passes it through as is; a devtools
 * compile mode or a hand-typed H5 link may give it plain. Decoding once covers both: a
 * plain scene has no `%`, so decoding leaves it unchanged.
 */
export function decodeScene(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let scene: string;
  try {
    scene = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return SCENE_PATTERN.test(scene) ? scene : null;
}
