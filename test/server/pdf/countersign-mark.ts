// What every countersignPdf call in the tests adds to its signer, role and time: the department
// name its block shows and the font that letters it, parsed once per test process (~100 ms).
import { loadFontFile, type LoadedFont } from "../../../server/pdf/fonts";
import path from "node:path";

let font: LoadedFont | undefined;

/** The block's department name (SAMR's) and the regular certificate font. */
export function countersignMark(departmentName = "市场监督管理局"): { departmentName: string; font: LoadedFont } {
  font ??= loadFontFile(path.join(path.dirname(require.resolve("@expo-google-fonts/noto-sans-sc/package.json")), "400Regular", "NotoSansSC_400Regular.ttf"));
  return { departmentName, font };
}
