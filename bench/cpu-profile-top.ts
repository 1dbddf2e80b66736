import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What a V8 CPU profile (node --cpu-prof) spent its time on: self time by function and by
 * package, and total time (self plus callees) of this repository's own functions.
 * `npx tsx bench/cpu-profile-top.ts bench/results/profiles/logins/CPU.*.cpuprofile [rows]`
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = join(__dirname, '..');

/** The package a frame's file belongs to, `node:…`, `(native)`, or a path in this repository. */
function placeOf(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split('/');
    return parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/');
  }
  if (!path.startsWith('/')) return path || '(native)';
  return relative(ROOT, path);
}

const ownCode = (place: string) => /^(server|config|bench)\//.test(place);

function print(title: string, totals: Map<string, number>, all: number, rows: number): void {
  console.log(`\n${title}`);
  [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .forEach(([name, us]) => console.log(`${((us / all) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`));
}

function main(file: string, rows: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const all = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const selfByFrame = new Map<string, number>();
  const selfByPlace = new Map<string, number>();
  const totalOfOwn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url } = byId.get(id)!.callFrame;
    const place = placeOf(url);
    add(selfByFrame, `${functionName || '(anonymous)'}  ${place}`, us);
    add(selfByPlace, place, us);
    // Each of our functions on the stack once, however deep the recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const framePlace = placeOf(frame.url);
      const key = `${frame.functionName || '(anonymous)'}  ${framePlace}`;
      if (ownCode(framePlace) && !seen.has(key)) {
        seen.add(key);
        add(totalOfOwn, key, us);
      }
    }
  }
  console.log(`${file}: ${(all / 1e6).toFixed(1)} s sampled`);
  print('self time by function', selfByFrame, all, rows);
  print('self time by package or file', selfByPlace, all, rows);
  print("total time of this repository's functions (self + callees)", totalOfOwn, all, rows);
}

const [file, rows] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/cpu-profile-top.ts <file.cpuprofile> [rows]');
  process.exit(2);
}
main(file, Number(rows ?? 25));
