// The visible mark of a countersignature (签两次): a framed block stating who signed — the role
// (经办人 staff, 首席代表 chief representative), the department, the key's short id — and when, in
// Beijing time. Lettered as glyph outlines like the seal, so it is the whole appearance stream of
// the signature widget and needs no font resource. Placing it is countersign-rule.ts's work.
import { ContentStream, type Rgb } from "./content-stream";
import type { CountersignRole } from "./countersign-rule";
import { widthOfText, type LoadedFont } from "./fonts";
import { glyphRunOperators } from "./glyph-path";

/** Size of the block at scale 1, in points (about 64 × 23 mm). */
export const COUNTERSIGN_BLOCK = { width: 180, height: 64 } as const;

/** Ink of the block: the dark blue of a signing pen, apart from the seal's red. */
const INK: Rgb = [0.1, 0.18, 0.45];
const PAD = 7;
// Baselines and sizes of the four lines, from the block's bottom, at scale 1.
const LINES = [
  { baseline: 47, sizePt: 11 },
  { baseline: 33, sizePt: 9 },
  { baseline: 20.5, sizePt: 7.5 },
  { baseline: 9.5, sizePt: 7.5 },
] as const;

/** The role title the block shows. */
const COUNTERSIGN_TITLES: Readonly<Record<CountersignRole, string>> = { staff: "经办人签署", chief: "首席代表签署" };

/** What the block shows. */
export interface CountersignBlockOptions {
  role: CountersignRole;
  /** e.g. 市场监督管理局. */
  departmentName: string;
  /** The TrustRegistry key id, 0x + 64 hex digits; shown shortened. */
  keyId: string;
  signingTime: Date;
  /** A font with CJK and Latin glyphs (the regular certificate font). */
  font: LoadedFont;
  /** 1 draws {@link COUNTERSIGN_BLOCK}'s size; less draws it smaller, for a small page. */
  scale: number;
}

/**
 * Content-stream operators drawing the block into [0 0 width×scale height×scale], origin at the
 * bottom left: the `/AP /N` stream of the countersignature's widget. A line too long for the block
 * (a long department name) is set smaller to fit.
 * @throws Error when the font lacks one of the characters
 */
export function drawCountersignBlockOperators(opts: CountersignBlockOptions): string {
  const { font, scale } = opts;
  const w = COUNTERSIGN_BLOCK.width * scale;
  const h = COUNTERSIGN_BLOCK.height * scale;
  const texts = [
    COUNTERSIGN_TITLES[opts.role],
    opts.departmentName,
    `密钥 ${shortKeyId(opts.keyId)}`,
    `时间 ${beijingTime(opts.signingTime)} 北京时间`,
  ];
  const s = new ContentStream().save().fillColor(INK).strokeColor(INK);
  const rule = 0.8 * scale;
  s.lineWidth(rule).rect(rule / 2, rule / 2, w - rule, h - rule).stroke();
  const room = w - 2 * PAD * scale;
  texts.forEach((text, i) => {
    const nominal = LINES[i].sizePt * scale;
    const sizePt = Math.min(nominal, (nominal * room) / widthOfText(font, text, nominal));
    s.raw(glyphRunOperators(font, text, PAD * scale, LINES[i].baseline * scale, sizePt));
  });
  return s.restore().toString();
}

/** 0x1a2b3c4d…9f0e: the key id's first four and last two bytes, enough to tell keys apart by eye. */
function shortKeyId(keyId: string): string {
  return keyId.length > 16 ? `${keyId.slice(0, 10)}…${keyId.slice(-4)}` : keyId;
}

/** 2025-03-01 16:00 in Beijing (UTC+8, no daylight saving), the clock the department works by. */
function beijingTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
}
