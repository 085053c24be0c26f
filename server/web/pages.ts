// The markup of each page inside <main>: fixed Chinese text with the keys site.js translates, and
// the empty containers the page scripts fill from the API's JSON. No request data is put in here.
import type { PageSpec } from "./page-shell";

/** The upload form the verify page and the record page share (site.js binds it by its ids). */
const VERIFY_FORM = `
<form id="verify-form" class="card" novalidate>
  <div id="drop" class="drop">
    <label for="pdf-file"><span class="drop-title" data-i18n="verify.drop">将电子证照 PDF 文件拖到此处，或点击选择文件</span></label>
    <input id="pdf-file" name="pdf" type="file" accept="application/pdf,.pdf">
  </div>
  <p class="note"><strong data-i18n="verify.notKept">文件仅用于本次核验，核验完毕即丢弃，不作保存。</strong></p>
  <button type="submit" class="primary" data-i18n="verify.submit">开始核验</button>
</form>
<section id="result" aria-live="polite"></section>`;

export const VERIFY_PAGE: Omit<PageSpec, "nav"> = {
  titleKey: "verify.title",
  titleZh: "电子证照核验",
  script: "verify.js",
  bodyHtml: `
<p class="lead" data-i18n="verify.lead">上传电子证照或盖章文件，系统将逐项核对数字签名、签发部门、区块链存证时间和撤销状态。</p>
${VERIFY_FORM}
<form id="id-form" class="card inline-form">
  <label for="doc-id" data-i18n="verify.byId">或输入证照标识，查看存证记录</label>
  <div class="row"><input id="doc-id" name="id" type="text" autocomplete="off" spellcheck="false">
  <button type="submit" data-i18n="verify.lookup">查询</button></div>
</form>`,
};

export const RECORD_PAGE: Omit<PageSpec, "nav"> = {
  titleKey: "record.title",
  titleZh: "证照存证记录",
  script: "record.js",
  bodyHtml: `
<section id="record" aria-live="polite"><p data-i18n="loading">正在查询区块链账本……</p></section>
<h2 data-i18n="record.checkTitle">核对您手中的文件</h2>
<p class="lead" data-i18n="record.checkLead">将您持有的 PDF 文件拖到下方，核对它是否正是这份已存证的文件。</p>
${VERIFY_FORM}`,
};

export const REGISTRY_PAGE: Omit<PageSpec, "nav"> = {
  titleKey: "registry.title",
  titleZh: "部门与密钥登记册",
  script: "registry.js",
  bodyHtml: `
<p class="lead" data-i18n="registry.lead">以下为区块链信任登记册中登记的部门及其签章密钥，包括角色与有效期。</p>
<section id="registry" aria-live="polite"><p data-i18n="loading">正在查询区块链账本……</p></section>`,
};

export const FILINGS_PAGE: Omit<PageSpec, "nav"> = {
  titleKey: "filings.title",
  titleZh: "自审备案公示",
  script: "filings.js",
  helpers: ["approvals-text.js"],
  bodyHtml: `
<p class="lead" data-i18n="filings.lead">申请人自审备案的材料在公示期内向社会公开，任何人均可提出异议。</p>
<section id="filings" aria-live="polite"><p data-i18n="loading">正在查询……</p></section>`,
};

export const CONSOLE_PAGE: Omit<PageSpec, "nav"> = {
  titleKey: "console.title",
  titleZh: "部门工作台",
  script: "console.js",
  helpers: ["approvals-text.js", "signature-chart.js", "approvals-console.js"],
  bodyHtml: `
<section id="signin" class="card">
  <h2 data-i18n="console.signin">部门操作员登录</h2>
  <form id="signin-form">
    <label for="token" data-i18n="console.token">操作令牌</label>
    <div class="row"><input id="token" name="token" type="password" autocomplete="off" required>
    <button type="submit" class="primary" data-i18n="console.signinButton">登录</button></div>
    <p class="note" data-i18n="console.tokenNote">令牌只保存在本浏览器标签页的会话中，关闭即清除，绝不出现在网址里。</p>
  </form>
  <div id="signin-error" class="error" role="alert"></div>
</section>
<div id="workspace" hidden>
  <p class="row spread"><span id="whoami"></span><button type="button" id="signout" data-i18n="console.signout">退出登录</button></p>
  <div id="console-message" role="status" aria-live="polite"></div>
  <section class="card">
    <h2 data-i18n="console.issue">签发电子证照</h2>
    <form id="issue-form">
      <div class="grid">
        <div><label for="f-kind" data-i18n="console.kind">类别</label>
          <select id="f-kind" name="kind"><option value="certificate" data-i18n="kind.certificate">电子证照</option><option value="commitment-letter" data-i18n="kind.commitment-letter">告知承诺书</option></select></div>
        <div><label for="f-title" data-i18n="console.ctitle">证照名称</label><input id="f-title" name="title" value="食品经营许可证"></div>
        <div><label for="f-number" data-i18n="console.number">证照编号</label><input id="f-number" name="documentNumber" value="JY211010808777577"></div>
        <div><label for="f-until" data-i18n="console.validUntil">有效期至</label><input id="f-until" name="validUntil" type="date" value="2031-11-22"></div>
      </div>
      <label for="f-holder" data-i18n="console.holder">持证人信息（每行“项目：内容”）</label>
      <textarea id="f-holder" name="holder" rows="5">经营者名称：北京市海淀区青禾餐饮管理有限公司
统一社会信用代码：91110108MA01R2KX5Q
法定代表人：李明
经营场所：北京市海淀区中关村南大街12号院3号楼1层101</textarea>
      <button type="submit" class="primary" data-i18n="console.issueButton">签发</button>
    </form>
  </section>
  <section class="card">
    <h2 data-i18n="console.seal">上传 PDF 加盖电子印章</h2>
    <form id="seal-form">
      <label for="seal-file" data-i18n="console.sealFile">PDF 文件</label><input id="seal-file" type="file" accept="application/pdf,.pdf">
      <label for="seal-title" data-i18n="console.sealTitle">文件名称（仅本部门可见）</label><input id="seal-title" value="盖章文件">
      <button type="submit" class="primary" data-i18n="console.sealButton">盖章</button>
    </form>
  </section>
  <section class="card">
    <h2 data-i18n="console.documents">本部门文件</h2>
    <p class="note" data-i18n="console.polling">存证状态每隔几秒自动刷新。</p>
    <div id="documents"></div>
  </section>
  <section class="card" id="queue-card">
    <h2 data-i18n="queue.title">待签名的审批申请</h2>
    <p class="note" data-i18n="queue.lead">本部门主管或受理、等待签名的申请，最新的在前（先派驻工作人员签，后首席代表签）。</p>
    <div id="queue-message" role="status" aria-live="polite"></div>
    <div id="queue"></div>
  </section>
  <section class="card" id="notice-card">
    <h2 data-i18n="notice.title">自审备案公示处理</h2>
    <p class="note" data-i18n="notice.lead">公示期内的自审备案：主管部门处理收到的异议；公示期满且无未处理异议时办结，不需任何人签名。</p>
    <div id="notice-message" role="status" aria-live="polite"></div>
    <div id="notice"></div>
  </section>
  <section class="card">
    <h2 data-i18n="apply.title">受理审批申请</h2>
    <p class="note" data-i18n="apply.lead">系统按规则选择签名最少的审批方式，并说明理由。</p>
    <form id="apply-form">
      <label for="a-matter" data-i18n="apply.matter">事项</label><select id="a-matter" name="matter"></select>
      <label for="a-applicant" data-i18n="apply.applicant">申请人信息（每行“项目：内容”）</label>
      <textarea id="a-applicant" name="applicant" rows="3">社会团体名称：海淀区书法协会</textarea>
      <label for="a-evidence" data-i18n="apply.evidence">材料文件标识（本节点的证照标识，多个用空格分隔）</label>
      <input id="a-evidence" name="evidence" autocomplete="off" spellcheck="false">
      <div class="check"><input id="a-commitment" name="commitment" type="checkbox"><label for="a-commitment" data-i18n="apply.commitment">申请人签署告知承诺书（告知承诺）</label></div>
      <div class="check"><input id="a-self-review" name="selfReview" type="checkbox"><label for="a-self-review" data-i18n="apply.selfReview">申请人自审备案（自审备案）</label></div>
      <button type="submit" class="primary" data-i18n="apply.submit">提交申请</button>
    </form>
    <div id="apply-result" aria-live="polite"></div>
  </section>
  <section class="card">
    <h2 data-i18n="catalog.title">事项清单与熔断开关</h2>
    <p class="note" data-i18n="catalog.lead">每个事项可用的审批方式、规则版本和熔断状态，均读自区块链；只有主管部门能熔断或恢复。</p>
    <label for="suspend-reason" data-i18n="catalog.reasonCode">熔断原因代码（公开）</label>
    <input id="suspend-reason" type="number" min="1" max="65535" value="1" class="short">
    <div id="catalog-message" role="status" aria-live="polite"></div>
    <div id="catalog"></div>
  </section>
  <section class="card">
    <h2 data-i18n="stats.title">签名统计</h2>
    <p class="note" data-i18n="stats.lead">每个事项、每种审批方式实际的人工签名数，与现行“最多签两次”规则所需签名数（基线）对比。</p>
    <div id="statistics"></div>
  </section>
</div>
<dialog id="revoke-dialog" aria-labelledby="revoke-title">
  <form id="revoke-form" method="dialog">
    <h2 id="revoke-title" data-i18n="console.revokeTitle">撤销文件</h2>
    <p id="revoke-target"></p>
    <label for="revoke-reason" data-i18n="console.revokeReason">撤销原因</label>
    <select id="revoke-reason"><option value="1" data-i18n="revocation.1">注销（依申请）</option><option value="2" data-i18n="revocation.2">吊销（处罚）</option></select>
    <div class="row"><button type="submit" value="confirm" class="danger" data-i18n="console.revokeConfirm">确认撤销</button>
    <button type="submit" value="cancel" data-i18n="console.cancel">取消</button></div>
  </form>
</dialog>`,
};
