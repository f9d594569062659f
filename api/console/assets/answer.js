// A decision form is answered with the whole page again — its confirmation
// step, or its refusal beside the fields — and that part may be far below
// the page's top (the 办理 part, after the whole 推荐表). It is brought into
// view, where the person is looking, instead of a page that looks
// unchanged: after htmx has settled a boosted answer (and its own scroll to
// the top), and on a page loaded without it. (A decision taken leads to the
// page's top, #main, where it says so.)
function showAnswer() {
  const answer = document.querySelector('.decision :is([role=alert], .confirm, .field-error)');
  if (answer) {
    answer.closest('.decision').scrollIntoView({block: 'start'});
  }
}
addEventListener('DOMContentLoaded', showAnswer);
document.addEventListener('htmx:afterSettle', () => requestAnimationFrame(showAnswer));
