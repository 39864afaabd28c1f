# chromium.sh — pages in Debian's headless Chromium, for the browser tests
# (sourced by tests/handouts/browser.sh and tests/report/browser.sh).
#   chromium_probe DIR    writes DIR/probe.js, which a page runs once loaded
#   page_verdict HTML     the probe's line for the page ("" when none):
#       math M drawn D missing-pictures P tables ID:ROWS,... images-ok | BAD why
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
  var out = document.createElement('pre');
  out.id = 'gl-verdict';
  out.textContent = 'math ' + maths.length + ' drawn ' + drawn + ' missing-pictures ' + missing +
                    ' tables ' + (tables.length ? tables.join(',') : '-') +
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
