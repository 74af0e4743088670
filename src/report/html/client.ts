// The report's only script (plain ES2019, inlined into report.html): the per-document drill-down.
// It reads the JSON embedded in the page and builds rows with textContent only, so logged text can never
// become markup.

export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('yardstick-data').textContent);
  var tasks = data.tasks;
  var labels = data.labels;
  var select = document.getElementById('drill-task');
  var disagreeOnly = document.getElementById('drill-disagree');
  var count = document.getElementById('drill-count');
  var head = document.getElementById('drill-head');
  var body = document.getElementById('drill-body');
  if (!select || tasks.length === 0) return;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(x) {
    if (x === null || x === undefined) return '';
    if (typeof x !== 'number') return String(x);
    if (!isFinite(x)) return x > 0 ? 'inf' : (x < 0 ? '-inf' : 'nan');
    return x.toFixed(4);
  }
  function mark(c) { return c === true ? '\u2713' : (c === false ? '\u2717' : ''); }
  function choiceName(task, doc, i) {
    if (i === null || i === undefined) return '';
    var c = doc.choices ? doc.choices[i] : String(i);
    return String(c).trim() || ('#' + i);
  }

  tasks.forEach(function (t, i) {
    var o = el('option', null, t.name + ' (' + t.disagreeTotal + ' of ' + t.total + ' disagree)');
    o.value = String(i);
    select.appendChild(o);
  });

  function modelCell(task, doc, m) {
    var td = el('td', m.correct === true ? 'ok' : (m.correct === false ? 'bad' : ''));
    var text;
    if (task.kind === 'choice') text = choiceName(task, doc, m.pick);
    else if (task.kind === 'loglikelihood') text = m.greedy ? (m.greedy[0] ? 'greedy' : 'not greedy') + ' ' + fmt(m.lls ? m.lls[0] : null) : '';
    else text = m.text === null ? '' : (m.text.length > 60 ? m.text.slice(0, 60) + '\u2026' : m.text);
    td.textContent = (mark(m.correct) + ' ' + text).trim();
    return td;
  }

  function detail(task, doc) {
    var box = el('div', 'detail-box');
    box.appendChild(el('h4', null, 'Prompt' + (doc.cut > 0 ? ' (first ' + doc.cut + ' characters not shown)' : '')));
    box.appendChild(el('pre', 'prompt', doc.prompt));
    if (doc.continuation !== null) {
      box.appendChild(el('h4', null, 'Continuation scored'));
      box.appendChild(el('pre', 'prompt', doc.continuation));
    }
    box.appendChild(el('p', null, 'Target: ' + doc.target));
    if (task.kind === 'generate') {
      doc.models.forEach(function (m, i) {
        box.appendChild(el('h4', null, labels[i] + ' ' + mark(m.correct)));
        box.appendChild(el('pre', 'prompt', m.text));
      });
      return box;
    }
    var table = el('table', 'lls');
    var hr = el('tr');
    hr.appendChild(el('th', null, task.kind === 'choice' ? 'choice' : 'continuation'));
    labels.forEach(function (l) { hr.appendChild(el('th', null, l + ' log-prob')); });
    table.appendChild(hr);
    var n = doc.models[0].lls ? doc.models[0].lls.length : 0;
    for (var j = 0; j < n; j++) {
      var tr = el('tr', doc.gold === j ? 'gold' : '');
      tr.appendChild(el('td', null, (doc.choices ? JSON.stringify(doc.choices[j]) : JSON.stringify(doc.continuation)) + (doc.gold === j ? ' (gold)' : '')));
      doc.models.forEach(function (m) {
        var picked = m.pick === j;
        var td = el('td', picked ? 'pick' : '', fmt(m.lls ? m.lls[j] : null) + (picked ? '  \u2190 pick' : ''));
        if (task.kind === 'loglikelihood' && m.greedy) td.textContent += m.greedy[j] ? '  (greedy)' : '';
        tr.appendChild(td);
      });
      table.appendChild(tr);
    }
    box.appendChild(table);
    return box;
  }

  function render() {
    var task = tasks[Number(select.value)];
    head.textContent = '';
    body.textContent = '';
    var hr = el('tr');
    hr.appendChild(el('th', null, 'doc'));
    hr.appendChild(el('th', null, 'target'));
    labels.forEach(function (l) { hr.appendChild(el('th', null, l)); });
    head.appendChild(hr);
    var shown = 0;
    task.docs.forEach(function (doc) {
      if (disagreeOnly.checked && !doc.disagree) return;
      shown++;
      var tr = el('tr', 'doc' + (doc.disagree ? ' disagree' : ''));
      tr.setAttribute('data-doc-id', String(doc.id));
      tr.appendChild(el('td', null, doc.id));
      var target = task.kind === 'choice' && doc.gold !== null ? choiceName(task, doc, doc.gold) : doc.target;
      tr.appendChild(el('td', 'target', target.length > 40 ? target.slice(0, 40) + '\u2026' : target));
      doc.models.forEach(function (m) { tr.appendChild(modelCell(task, doc, m)); });
      var dr = el('tr', 'detail');
      dr.hidden = true;
      var td = el('td');
      td.colSpan = 2 + labels.length;
      dr.appendChild(td);
      tr.addEventListener('click', function () {
        if (!td.firstChild) td.appendChild(detail(task, doc));
        dr.hidden = !dr.hidden;
        tr.classList.toggle('open', !dr.hidden);
      });
      body.appendChild(tr);
      body.appendChild(dr);
    });
    var note = task.docs.length < task.total ? ' (' + task.docs.length + ' of ' + task.total + ' documents included in this report, disagreements first)' : '';
    count.textContent = shown + ' document' + (shown === 1 ? '' : 's') + ' shown; ' + task.disagreeTotal + ' of ' + task.total + ' with disagreeing models' + note;
  }

  select.addEventListener('change', render);
  disagreeOnly.addEventListener('change', render);
  render();
})();
`;
