// The demo matter catalog `npm start` seeds, from the seeds' own examples: which department owns
// each matter, its baseline under today's 签一次/签两次 lists, the paths that may decide it, the
// evidence each path needs and the 秒批 rules over that evidence's data. The 签一次 and 签两次
// matters are decided by the approval bureau's hall staff and chief under delegated authority.
import type { MatterDefinition } from "../approvals/types";

const DAY_SEC = 86_400;

/** The field of PSB's identity certificate (户籍证明) that carries the date of birth. */
export const BIRTH_DATE_FIELD = "出生日期";
/** The templateId PSB's identity certificates carry in their embedded data. */
export const PSB_IDENTITY_TEMPLATE = "hukou-record";

export const DEMO_CATALOG: readonly MatterDefinition[] = [
  {
    code: "ELDERLY_CARD",
    name: "老年人优待证申领",
    departmentCode: "MCA",
    baselineSignatures: 1,
    paths: ["instant"],
    postCheckPeriodSec: 0,
    noticePeriodSec: 0,
    evidence: [{ kind: "certificate", departmentCode: "PSB", paths: ["instant"], label: "公安局户籍证明", templateId: PSB_IDENTITY_TEMPLATE }],
    instantRules: [{ evidence: 0, field: BIRTH_DATE_FIELD, test: { ageAtLeast: 60 }, description: "年满60周岁" }],
    certificateTitle: "老年人优待证",
  },
  {
    code: "FOOD_LICENCE_CANCEL",
    name: "食品经营许可证注销",
    departmentCode: "SAMR",
    baselineSignatures: 1,
    paths: ["instant"],
    postCheckPeriodSec: 0,
    noticePeriodSec: 0,
    evidence: [{ kind: "certificate", departmentCode: "SAMR", paths: ["instant"], label: "食品经营许可证" }],
    instantRules: [{ evidence: 0, field: "许可证编号", test: { present: true }, description: "许可证在册且有效" }],
    certificateTitle: "食品经营许可证注销通知书",
  },
  {
    code: "SMALL_RESTAURANT_LICENCE",
    name: "50㎡以下餐饮店食品经营许可",
    departmentCode: "SAMR",
    baselineSignatures: 2,
    paths: ["commitment", "signTwice"],
    postCheckPeriodSec: 90 * DAY_SEC,
    noticePeriodSec: 0,
    evidence: [{ kind: "commitment-letter", departmentCode: "SAMR", paths: ["commitment"], label: "告知承诺书" }],
    instantRules: [],
    certificateTitle: "食品经营许可证",
  },
  {
    code: "CONSTRUCTION_QUALIFICATION",
    name: "建筑业企业资质",
    departmentCode: "APPROVAL",
    baselineSignatures: 2,
    paths: ["commitment", "signTwice"],
    postCheckPeriodSec: 180 * DAY_SEC,
    noticePeriodSec: 0,
    evidence: [{ kind: "commitment-letter", departmentCode: "APPROVAL", paths: ["commitment"], label: "告知承诺书" }],
    instantRules: [],
    certificateTitle: "建筑业企业资质证书",
  },
  {
    code: "DRAWING_REVIEW",
    name: "施工图审查",
    departmentCode: "APPROVAL",
    baselineSignatures: 2,
    paths: ["filing", "signTwice"],
    postCheckPeriodSec: 0,
    noticePeriodSec: 10 * DAY_SEC,
    evidence: [{ kind: "filing", departmentCode: "APPROVAL", paths: ["filing"], label: "自审备案材料" }],
    instantRules: [],
    certificateTitle: "施工图审查备案证明",
  },
  {
    code: "SOLE_TRADER_REGISTRATION",
    name: "个体工商户登记",
    departmentCode: "SAMR",
    baselineSignatures: 1,
    paths: ["instant", "signOnce"],
    postCheckPeriodSec: 0,
    noticePeriodSec: 0,
    evidence: [{ kind: "certificate", departmentCode: "PSB", paths: ["instant"], label: "公安局户籍证明", templateId: PSB_IDENTITY_TEMPLATE }],
    instantRules: [{ evidence: 0, field: BIRTH_DATE_FIELD, test: { ageAtLeast: 18 }, description: "经营者年满18周岁" }],
    certificateTitle: "个体工商户营业执照",
  },
  {
    code: "SOCIAL_ORG_CHANGE",
    name: "社会团体变更登记",
    departmentCode: "MCA",
    baselineSignatures: 1,
    paths: ["signOnce"],
    postCheckPeriodSec: 0,
    noticePeriodSec: 0,
    evidence: [],
    instantRules: [],
    certificateTitle: "社会团体变更登记证明",
  },
  {
    code: "FOOD_PRODUCTION_LICENCE",
    name: "食品生产许可",
    departmentCode: "SAMR",
    baselineSignatures: 2,
    paths: ["signTwice"],
    postCheckPeriodSec: 0,
    noticePeriodSec: 0,
    evidence: [],
    instantRules: [],
    certificateTitle: "食品生产许可证",
  },
];

/**
 * Who decides the signed paths (授权书): the approval bureau's hall staff and chief, for every
 * matter of the catalog that allows 签一次 or 签两次 (委托受理 / 授权审批).
 */
export const DEMO_HALL_DEPARTMENT = "APPROVAL";
