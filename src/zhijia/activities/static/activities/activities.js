// The activity list: "near me" asks the browser for its position and reloads the list with it (WGS-84, as GPS gives).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("near-me");
    var form = document.getElementById("activity-filters");
    if (!button || !form || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector('input[name="lng"]').value = pos.coords.longitude.toFixed(6);
        form.querySelector('input[name="lat"]').value = pos.coords.latitude.toFixed(6);
        form.submit();
      });
    });
  });
})();
