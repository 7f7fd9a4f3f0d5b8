// Ask before an action that cannot be undone: any form with data-confirm="question".
// Without JavaScript the form simply submits.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A reason code of "Other" needs the reason in words: the browser then asks for it next to the
// box instead of the server refusing the whole form. Without JavaScript the server still refuses it.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("select[name=reason_code]")) {
    return;
  }
  var reason = select.form && select.form.querySelector("textarea[data-required-with]");
  if (reason) {
    var needed = select.value === reason.getAttribute("data-required-with");
    reason.required = needed;
    reason.setAttribute("aria-required", needed ? "true" : "false");
  }
});
