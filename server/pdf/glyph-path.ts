// Turns a glyph's outline into PDF path operators, so lettering (the seal's department name) can be
// drawn as vector shapes that need no font resource: a signature appearance stays self-contained
// and no one can extract or swap the seal's "text". TrueType outlines are quadratic; PDF paths are
// cubic, so each quadratic segment is raised to the equivalent cubic.
import { num } from "./content-stream";
import { glyphOf, type LoadedFont } from "./fonts";

interface PathCommand {
  command: string;
  args: number[];
}

/**
 * Path operators (m, l, c, h) of the glyph for `codePoint`, in font units (y up, origin on the
 * baseline at the glyph's left edge). The caller positions them with a `cm`, then fills with `f`
 * (TrueType outlines use the non-zero winding rule, as `f` does).
 */
export function glyphPathOperators(font: LoadedFont, codePoint: number): string {
  const commands = pathCommands(font, codePoint);
  const ops: string[] = [];
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  for (const { command, args: a } of commands) {
    switch (command) {
      case "moveTo":
        ops.push(`${num(a[0])} ${num(a[1])} m`);
        [cx, cy, sx, sy] = [a[0], a[1], a[0], a[1]];
        break;
      case "lineTo":
        ops.push(`${num(a[0])} ${num(a[1])} l`);
        [cx, cy] = [a[0], a[1]];
        break;
      case "quadraticCurveTo": {
        const [qx, qy, x, y] = a;
        ops.push(`${num(cx + (2 / 3) * (qx - cx))} ${num(cy + (2 / 3) * (qy - cy))} ` +
          `${num(x + (2 / 3) * (qx - x))} ${num(y + (2 / 3) * (qy - y))} ${num(x)} ${num(y)} c`);
        [cx, cy] = [x, y];
        break;
      }
      case "bezierCurveTo":
        ops.push(`${a.slice(0, 6).map(num).join(" ")} c`);
        [cx, cy] = [a[4], a[5]];
        break;
      case "closePath":
        ops.push("h");
        [cx, cy] = [sx, sy];
        break;
      default:
        throw new Error(`unknown glyph path command ${command}`);
    }
  }
  return ops.join(" ");
}

/**
 * Operators filling `text` as glyph outlines on a horizontal baseline from (x, y), `sizePt` tall,
 * advancing by each glyph's width (no kerning: CJK text has none). Needs no font resource.
 * @throws Error when the font lacks one of the characters
 */
export function glyphRunOperators(font: LoadedFont, text: string, x: number, y: number, sizePt: number): string {
  const k = sizePt / font.unitsPerEm;
  // The scale keeps six decimals: num()'s three would make 7.5 pt text 8 pt with a 1000-unit em.
  const scale = String(Math.round(k * 1e6) / 1e6);
  const ops: string[] = [];
  let at = x;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const { gid, advance } = glyphOf(font, cp);
    if (gid === 0) throw new Error(`the font has no glyph for ${JSON.stringify(ch)}`);
    const path = glyphPathOperators(font, cp);
    // A space has no outline, and `f` with no current path is an error to some readers.
    if (path !== "") ops.push(`q ${scale} 0 0 ${scale} ${num(at)} ${num(y)} cm ${path} f Q`);
    at += advance * k;
  }
  return ops.join("\n");
}

// fontkit's Path keeps its commands in `commands`, which its type declarations leave out.
function pathCommands(font: LoadedFont, codePoint: number): readonly PathCommand[] {
  const path: unknown = font.fontkit.glyphForCodePoint(codePoint).path;
  if (typeof path === "object" && path !== null && "commands" in path && Array.isArray(path.commands)) {
    return path.commands as PathCommand[];
  }
  throw new Error("fontkit glyph path has no commands");
}
