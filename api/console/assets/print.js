// A printed page is the record: every deadline's explanation prints open.
// A closed <details> prints closed whatever the print style says, so the
// explanations are opened for the print and closed again after it.
addEventListener('beforeprint', () => {
  for (const d of document.querySelectorAll('details.explain:not([open])')) {
    d.open = true;
    d.dataset.openedForPrint = '';
  }
});
addEventListener('afterprint', () => {
  for (const d of document.querySelectorAll('details[data-opened-for-print]')) {
    d.open = false;
    delete d.dataset.openedForPrint;
  }
});
