// The card scanner page: a scanner (or a person) types the QR code's content and presses Enter; the answer replaces
// the last one and the field is ready for the next card. With a camera, jsQR reads the code from the video instead.
(function () {
  "use strict";

  var input, form;

  function ready() {
    input.value = "";
    input.focus();
  }

  function submit(text) {
    input.value = text;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function startCamera(button) {
    var box = document.getElementById("camera");
    var video = document.getElementById("camera-video");
    var canvas = document.getElementById("camera-canvas");
    var error = document.getElementById("camera-error");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var last = "", lastAt = 0, stream = null;

    function stop() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      box.hidden = true;
      button.dataset.on = "";
    }

    function tick() {
      if (!stream) return;
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        // The same card held in front of the camera is checked once, not at every frame.
        if (code && code.data && (code.data !== last || Date.now() - lastAt > 5000)) {
          last = code.data;
          lastAt = Date.now();
          submit(code.data);
        }
      }
      window.requestAnimationFrame(tick);
    }

    if (button.dataset.on) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      button.dataset.on = "1";
      error.hidden = true;
      box.hidden = false;
      video.srcObject = s;
      video.play();
      window.requestAnimationFrame(tick);
    }).catch(function () {
      error.hidden = false;
      stop();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    input = document.getElementById("scan-token");
    form = document.getElementById("scan-form");
    if (!input || !form) return;
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "card-check") ready();
    });
    var button = document.getElementById("camera-toggle");
    if (button && window.jsQR && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      button.hidden = false;
      button.addEventListener("click", function () { startCamera(button); });
    }
  });
})();
