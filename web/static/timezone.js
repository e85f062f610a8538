// Progressive enhancement of the schedule's time-zone chooser: when the
// visitor has not chosen a zone, fill in the browser's own. Nothing changes
// until they press the button; without JavaScript the field stays empty.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) {
    return;
  }
  var inputs = document.querySelectorAll("input[data-zone-chooser]");
  for (var i = 0; i < inputs.length; i++) {
    if (!inputs[i].value) {
      inputs[i].value = zone;
    }
  }
})();
