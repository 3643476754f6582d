// Evidence uploads for the filing form on a weak line (loaded by the consumer's pages; the
// form's WebAssembly calls it). `fetch` reports no upload progress; XMLHttpRequest does. A photo
// is scaled down before it is sent (the long edge to 2,048 px, JPEG: a fraction of a phone
// photo's bytes, and no metadata), unless the consumer asks for the original; the server checks
// every file exactly as before. A connection cut mid-way is tried again by itself, three times,
// after 1, 2 and 4 s.
"use strict";
(function () {
  var LONG_EDGE = 2048;
  var QUALITY = 0.85;
  var RETRIES = 3;
  var SCALABLE = /^image\/(jpeg|png|webp)$/;

  // The photo as it will be sent: scaled and re-encoded when that makes it smaller.
  function prepare(file, original) {
    if (original || !SCALABLE.test(file.type) || typeof createImageBitmap !== "function") {
      return Promise.resolve(file);
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size)) return resolve(file);
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      });
    }, function () { return file; });
  }

  // Sends `file` to `url` with `fields`, scaled unless `options.original`, not at all when it
  // is still larger than `options.limit` bytes; `progress(sent, total)` (bytes of the file as
  // sent) as it goes. Returns
  // { done: Promise of { status, body } or { tooLarge: true }, cancel() }; a cancelled upload's
  // promise rejects.
  window.portalUpload = function (url, fields, file, options, progress) {
    var xhr = null;
    var cancelled = false;
    var done = prepare(file, options.original).then(function (body) {
      if (body.size > options.limit) return { tooLarge: true };
      return new Promise(function (resolve, reject) {
        var attempt = 0;
        function send() {
          if (cancelled) return reject(new Error("cancelled"));
          var data = new FormData();
          Object.keys(fields).forEach(function (k) { data.append(k, fields[k]); });
          data.append("file", body, body.name);
          xhr = new XMLHttpRequest();
          xhr.open("POST", url);
          // The request's bytes include the form's other fields: shown as the file's share.
          xhr.upload.onprogress = function (e) {
            if (e.lengthComputable && e.total > 0) progress(Math.min(body.size, e.loaded * body.size / e.total), body.size);
          };
          xhr.onload = function () { resolve({ status: xhr.status, body: xhr.responseText }); };
          xhr.onabort = function () { reject(new Error("cancelled")); };
          xhr.onerror = xhr.ontimeout = function () {
            if (cancelled || attempt >= RETRIES) return reject(new Error("network"));
            attempt += 1;
            setTimeout(send, 1000 << (attempt - 1));
          };
          progress(0, body.size);
          xhr.send(data);
        }
        send();
      });
    });
    return {
      done: done,
      cancel: function () {
        cancelled = true;
        if (xhr) xhr.abort();
      },
    };
  };
})();
