# chromium.sh — pages in Debian's headless Chromium, for the browser tests
# (sourced by tests/handouts/browser.sh and tests/report/browser.sh).
#   chromium_probe DIR    writes DIR/probe.js, which a page runs once loaded
#   page_verdict HTML     the probe's line for the page ("" when none):
#       math M drawn D missing-pictures P tables ID:ROWS,... bigops B short S
#       overlapping L code-blocks C wrapped W images-ok | BAD why
#   B sums and products in display style, S of them drawn no taller than 1.4
#   times their font size, L limits overlapping their operator; C code blocks,
#   W of them with a wrapped line.
#   chrome ARGS...        chromium, headless, with a time limit
# Needs $shots: the folder of probe.js.

chromium_probe() {
    cat > "$1/probe.js" <<'JS'
window.addEventListener('load', function () {
  var bad = [];
  for (var i = 0; i < document.images.length; i++) {
    var im = document.images[i];
    if (!im.complete || im.naturalWidth === 0) bad.push('image does not load: ' + im.getAttribute('src'));
  }
  var maths = document.getElementsByTagName('math'), drawn = 0;
  for (var k = 0; k < maths.length; k++)
    if (typeof MathMLElement === 'function' && maths[k] instanceof MathMLElement &&
        maths[k].getBoundingClientRect().height > 0) drawn++;
  var missing = document.querySelectorAll('.missing-picture').length;
  var tables = [], all = document.getElementsByTagName('table');
  for (var t = 0; t < all.length; t++)
    if (all[t].getBoundingClientRect().height > 0)
      tables.push((all[t].id || 'table') + ':' + all[t].querySelectorAll('tbody tr').length);
  // A large operator (a sum, a product) in display style (not inside a
  // fraction): drawn taller than the text (1.4 times its font size), and its
  // limits clear of it.
  var ops = document.querySelectorAll('math[display="block"] mo'), big = 0, short = 0, hit = 0;
  for (var o = 0; o < ops.length; o++) {
    var op = ops[o], ch = op.textContent.trim();
    if (ch !== '\u2211' && ch !== '\u220f') continue;
    if (getComputedStyle(op).mathStyle === 'compact') continue;  // in a fraction: text size, as in TeX
    big++;
    var r = op.getBoundingClientRect(), size = parseFloat(getComputedStyle(op).fontSize);
    if (r.height <= 1.4 * size) short++;
    var box = op.parentElement, name = box.localName;
    if (op === box.firstElementChild && /^(munder|mover|munderover)$/.test(name)) {
      var lims = Array.prototype.slice.call(box.children, 1);
      for (var l = 0; l < lims.length; l++) {
        var q = lims[l].getBoundingClientRect();
        if (q.bottom > r.top + 1 && q.top < r.bottom - 1 && q.right > r.left + 1 && q.left < r.right - 1) hit++;
      }
    }
  }
  // A code block keeps its columns: each of its lines is one line box (no
  // wrapping); a block wider than the page scrolls.
  var pres = document.getElementsByTagName('pre'), wrapped = 0;
  for (var b = 0; b < pres.length; b++) {
    var pre = pres[b];
    if (pre.id === 'gl-verdict') continue;
    var lines = pre.textContent.replace(/\n$/, '').split('\n').length;
    var range = document.createRange();
    range.selectNodeContents(pre);
    var tops = {}, boxes = range.getClientRects(), rows = 0;
    for (var i2 = 0; i2 < boxes.length; i2++)
      if (boxes[i2].height > 0 && !tops[Math.round(boxes[i2].top)]) { tops[Math.round(boxes[i2].top)] = 1; rows++; }
    if (rows > lines) wrapped++;
  }
  var out = document.createElement('pre');
  out.id = 'gl-verdict';
  out.textContent = 'math ' + maths.length + ' drawn ' + drawn + ' missing-pictures ' + missing +
                    ' tables ' + (tables.length ? tables.join(',') : '-') +
                    ' bigops ' + big + ' short ' + short + ' overlapping ' + hit +
                    ' code-blocks ' + pres.length + ' wrapped ' + wrapped +
                    (bad.length ? ' BAD ' + bad.join('; ') : ' images-ok');
  document.body.appendChild(out);
});
JS
}

chrome() {
    timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --virtual-time-budget=5000 "$@" 2>/dev/null
}

page_verdict() {
    pv_dir=$(dirname "$1")
    pv_copy="$pv_dir/.probe-$(basename "$1")"
    sed 's|</body>|<script src="PROBE"></script></body>|' "$1" |
        sed "s|PROBE|file://$(cd "$shots" && pwd)/probe.js|" > "$pv_copy"
    chrome --dump-dom "file://$(cd "$pv_dir" && pwd)/$(basename "$pv_copy")" |
        sed -n 's|.*<pre id="gl-verdict">\(.*\)</pre>.*|\1|p'
    rm -f "$pv_copy"
}
