// Phones see a part of the year: start the chart at today rather than at January.
document.querySelectorAll(".gantt-wrap").forEach(function (wrap) {
  var today = wrap.querySelector(".gantt__today");
  if (!today || wrap.scrollWidth <= wrap.clientWidth) return;
  var offset = today.getBoundingClientRect().left - wrap.getBoundingClientRect().left;
  wrap.scrollLeft = Math.max(0, offset - wrap.clientWidth * 0.7);
});
