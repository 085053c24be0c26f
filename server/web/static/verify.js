// The verification page: the upload form renders the API's Report; the identifier form opens
// that document's record page.
"use strict";
(function () {
  ZS.bindVerifyForm();
  var form = document.getElementById("id-form");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var id = document.getElementById("doc-id").value.trim();
    if (id) location.href = "/v/" + encodeURIComponent(id);
  });
})();
