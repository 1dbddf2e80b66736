import { runInNewContext } from 'node:vm';
import { compileWxml } from './wechat-compilers';

/** A node of the tree that WeChat's compiled templates build: what the page would show. */
export interface WxmlNode {
  tag: string;
  attr?: Record<string, unknown>;
  children?: Array<WxmlNode | string>;
}

type Generate = (data: object, dd: object, global: object) => WxmlNode;

/**
 * Renders the project's templates as WeChat does: wcc compiles every .wxml into `$gwx`,
 * whose generator for a page takes the page's data and returns the tree of elements. Run
 * in a context of its own, as the compiled code writes globals.
 */
export function wxmlRenderer(projectDir: string): (page: string, data: object) => WxmlNode {
  const run = compileWxml(projectDir);
  if (run.status !== 0) throw new Error(`wcc failed: ${run.stderr}`);
  const context: Record<string, unknown> = { window: {}, console };
  runInNewContext(run.stdout, context);
  const gwx = context.$gwx as (path: string) => Generate | undefined;
  return (page, data) => {
    const generate = gwx(`${page}.wxml`);
    if (!generate) throw new Error(`no template ${page}.wxml`);
    return generate(data, {}, {});
  };
}

/** The element with `id`, if the tree has it. */
export function byId(node: WxmlNode, id: string): WxmlNode | undefined {
  if (node.attr?.id === id) return node;
  for (const child of node.children ?? []) {
    const found = typeof child === 'string' ? undefined : byId(child, id);
    if (found) return found;
  }
  return undefined;
}

/** The text of the element and everything in it, as a reader sees it (textContent). */
export function textOf(node: WxmlNode | undefined): string {
  return (node?.children ?? []).map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}
