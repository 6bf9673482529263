// Applying online: after a POST with errors, move the focus to the error summary (as the
// GOV.UK Design System does), so that keyboard and screen reader users start there. The
// pages work without this script; role="alert" announces the summary anyway.
const summary = document.querySelector("[data-error-summary]");
if (summary) {
  summary.focus();
}
