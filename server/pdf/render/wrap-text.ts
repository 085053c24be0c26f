// Line breaking for Chinese with some Latin: a line may break between any two CJK characters, a run
// of Latin letters or digits (a credit code, an address number) stays whole when it fits, and
// closing punctuation never starts a line (it hangs at the end of the previous one, 避头点).
import { widthOfText, type LoadedFont } from "../fonts";

const NO_LINE_START = new Set([..."，。、；：！？）》」』】〕”’,.;:!?)%"]);

/** Splits one paragraph (no newlines) into lines no wider than `maxWidthPt` at `sizePt`. */
export function wrapText(font: LoadedFont, text: string, sizePt: number, maxWidthPt: number, firstLineIndentPt = 0): string[] {
  const lines: string[] = [];
  let line = "";
  let limit = maxWidthPt - firstLineIndentPt;
  for (const unit of breakUnits(text)) {
    if (widthOfText(font, line + unit, sizePt) <= limit || NO_LINE_START.has(unit)) {
      line += unit;
      continue;
    }
    if (line !== "") {
      lines.push(line.trimEnd());
      limit = maxWidthPt;
    }
    line = unit.trimStart();
    // A unit wider than a whole line (a very long code) is cut between characters.
    while ([...line].length > 1 && widthOfText(font, line, sizePt) > limit) {
      const chars = [...line];
      let n = chars.length - 1;
      while (n > 1 && widthOfText(font, chars.slice(0, n).join(""), sizePt) > limit) n--;
      lines.push(chars.slice(0, n).join(""));
      line = chars.slice(n).join("");
      limit = maxWidthPt;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

// Units that must not be split: a Latin word or number with its trailing spaces, or one other character.
function breakUnits(text: string): string[] {
  return text.match(/[A-Za-z0-9@#&_\-./:]+ *|[\s\S]/gu) ?? [];
}
