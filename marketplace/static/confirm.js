// Ask before an action that cannot be undone: any form with data-confirm="question".
// Without JavaScript the form simply submits.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
