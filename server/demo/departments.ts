// The demo departments `npm start` registers. Department ids on chain are the code as bytes32
// (ethers.encodeBytes32String), so they stay readable in explorers and logs.

export interface DemoDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  /** The approval bureau (行政审批局) governs the registry in the demo. */
  bureau: boolean;
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: "SAMR", nameZh: "市场监督管理局", nameEn: "Administration for Market Regulation", bureau: false },
  { code: "MCA", nameZh: "民政局", nameEn: "Civil Affairs Bureau", bureau: false },
  { code: "APPROVAL", nameZh: "行政审批局", nameEn: "Administrative Approval Bureau", bureau: true },
  // Issues identity / 户籍 certificates: the evidence 老年人优待证申领's 秒批 reads.
  { code: "PSB", nameZh: "公安局", nameEn: "Public Security Bureau", bureau: false },
];
