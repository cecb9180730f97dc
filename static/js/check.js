// "Is my product recalled?": scanning with the camera, where the browser offers BarcodeDetector.
// Progressive enhancement only: without this file (or the API) the code is typed in the form.
(function () {
  var form = document.querySelector("form[data-code-check]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var controls = form.querySelector("[data-scan-controls]");
  var start = form.querySelector("[data-scan-start]");
  var stop = form.querySelector("[data-scan-stop]");
  var startWrap = form.querySelector("[data-scan-start-wrap]");
  var stopWrap = form.querySelector("[data-scan-stop-wrap]");
  var video = form.querySelector("[data-scan-video]");
  var status = form.querySelector("[data-scan-status]");
  var input = form.querySelector("input[name=code]");
  var wanted = ["ean_13", "ean_8", "upc_a", "upc_e", "itf", "code_128", "code_39"];
  var stream = null, timer = null;

  function finish() {
    if (timer) clearInterval(timer);
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    timer = stream = null;
    video.hidden = true;
    stopWrap.hidden = true;
    startWrap.hidden = false;
  }

  window.BarcodeDetector.getSupportedFormats().then(function (supported) {
    var formats = wanted.filter(function (f) { return supported.indexOf(f) >= 0; });
    if (!formats.length) return;
    var detector = new window.BarcodeDetector({ formats: formats });
    controls.hidden = false;
    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        stopWrap.hidden = false;
        startWrap.hidden = true;
        status.textContent = start.getAttribute("data-scanning");
        video.play();
        timer = setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (!codes.length) return;
            input.value = codes[0].rawValue;
            finish();
            form.submit();
          }).catch(function () {});
        }, 300);
      }).catch(function () {
        status.textContent = start.getAttribute("data-denied");
      });
    });
    stop.addEventListener("click", function () { finish(); status.textContent = ""; });
  }).catch(function () {});
})();
