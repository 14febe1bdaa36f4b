// Progressive enhancement for Taskr's pages: every page and form works without it.
// Plain browser JavaScript, no build step, no libraries.
'use strict';

// Styles may tell the enhanced page from the plain one (e.g. the task form's parameter lists).
document.documentElement.classList.add('js');

// ---- Everywhere --------------------------------------------------------------------------

// Delete (and other destructive) forms ask first.
document.querySelectorAll('form[data-confirm]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
  });
});

// Exact times: the title says the instant in the browser's zone as well as in UTC.
function localTitles(root) {
  root.querySelectorAll('time[datetime]').forEach(function (el) {
    var d = new Date(el.getAttribute('datetime'));
    if (isNaN(d.getTime())) return;
    el.title = d.toLocaleString() + ' (' + el.getAttribute('datetime') + ')';
  });
}
localTitles(document);

// A failed submit: bring the error summary into view for keyboard and screen reader users.
var summary = document.getElementById('form-errors');
if (summary) summary.focus();

// "Run now" goes straight to the new run's page (live output) instead of back to the task.
document.querySelectorAll('form[data-run-now]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.fetch) return;
    event.preventDefault();
    var button = form.querySelector('button');
    if (button) button.disabled = true;
    fetch(form.getAttribute('action') + '.json', {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    }).then(function (res) {
      if (res.status !== 201) throw new Error('status ' + res.status);
      return res.json();
    }).then(function (run) {
      window.location.assign('/runs/' + run.id);
    }).catch(function () {
      form.submit(); // the plain form path still works
    });
  });
});

// ---- Task form: actions --------------------------------------------------------------------

var rows = document.getElementById('action-rows');

// Only the chosen type's parameters show (the others are disabled so they are not sent).
function syncRow(row) {
  var select = row.querySelector('select.action-type');
  if (!select) return;
  row.querySelectorAll('details.params-box').forEach(function (box) {
    var on = box.getAttribute('data-type') === select.value;
    box.hidden = !on;
    box.open = on;
    box.querySelector('fieldset.params').disabled = !on;
  });
}

// Field names carry the position (task[actions][2][...]): renumber after add/move/remove.
function renumber() {
  rows.querySelectorAll('.action-row').forEach(function (row, index) {
    var n = String(index + 1);
    row.setAttribute('data-index', String(index));
    row.querySelectorAll('[name]').forEach(function (el) {
      el.name = el.name.replace(/^task\[actions\]\[[^\]]+\]/, 'task[actions][' + index + ']');
    });
    row.querySelectorAll('[id]').forEach(function (el) {
      el.id = el.id.replace(/^action-[^-]+-/, 'action-' + index + '-');
    });
    row.querySelectorAll('label[for]').forEach(function (el) {
      el.htmlFor = el.htmlFor.replace(/^action-[^-]+-/, 'action-' + index + '-');
    });
    row.querySelector('.action-number').textContent = n;
    var typeLabel = row.querySelector('label[for$="-type"]');
    if (typeLabel) typeLabel.textContent = 'Action ' + n + ' type';
    var labels = { 'move-up': 'up', 'move-down': 'down' };
    row.querySelectorAll('.row-tools button').forEach(function (b) {
      var cls = b.classList.contains('remove-action') ? null : b.classList[0];
      b.setAttribute('aria-label', cls ? 'Move action ' + n + ' ' + labels[cls] : 'Remove action ' + n);
    });
    row.querySelector('.move-up').disabled = index === 0;
    row.querySelector('.move-down').disabled = index === rows.children.length - 1;
  });
}

function enhanceRow(row) {
  syncRow(row);
  var tools = row.querySelector('.row-tools');
  if (tools) tools.hidden = false;
  var removeBox = row.querySelector('.remove-box');
  if (removeBox) removeBox.hidden = true;
}

if (rows) {
  var all = rows.querySelectorAll('.action-row');
  // The trailing blank row is for the no-JavaScript form; here "Add an action" does it.
  var lastRow = all[all.length - 1];
  if (all.length > 1 && lastRow && !lastRow.querySelector('select.action-type').value) lastRow.remove();
  rows.querySelectorAll('.action-row').forEach(enhanceRow);
  var hint = document.getElementById('add-action-hint');
  if (hint) hint.hidden = true;
  renumber();

  rows.addEventListener('change', function (event) {
    if (event.target.matches('select.action-type')) syncRow(event.target.closest('.action-row'));
  });
  rows.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) return;
    var row = button.closest('.action-row');
    if (button.classList.contains('move-up') && row.previousElementSibling) {
      rows.insertBefore(row, row.previousElementSibling);
    } else if (button.classList.contains('move-down') && row.nextElementSibling) {
      rows.insertBefore(row.nextElementSibling, row);
    } else if (button.classList.contains('remove-action')) {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      var target = next ? next.querySelector('select.action-type') : document.getElementById('add-action');
      if (target) target.focus();
      return;
    } else {
      return;
    }
    renumber();
    if (!button.disabled) button.focus();
    else row.querySelector('select.action-type').focus();
  });

  var template = document.getElementById('action-row-template');
  var add = document.getElementById('add-action');
  if (template && add) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var index = rows.querySelectorAll('.action-row').length;
      var html = template.innerHTML.split('__INDEX__').join(String(index))
        .split('__NUMBER__').join(String(index + 1));
      rows.insertAdjacentHTML('beforeend', html);
      var row = rows.lastElementChild;
      enhanceRow(row);
      renumber();
      row.querySelector('select.action-type').focus();
    });
  }
}

// ---- Task form: schedule preview -----------------------------------------------------------

var when = document.getElementById('task-schedule-when');
var preview = document.getElementById('schedule-preview');
if (when && preview) {
  var method = document.getElementById('task-schedule-method');
  var zone = document.getElementById('task-timezone');
  var timer = null;
  var latest = 0;
  var show = function (nodes, isError) {
    preview.replaceChildren.apply(preview, nodes);
    preview.classList.toggle('invalid', !!isError);
    when.setAttribute('aria-invalid', isError ? 'true' : 'false');
  };
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  // Fire times as read in the schedule's own zone (the server says which one applies).
  var inZone = function (date, zoneName) {
    var opts = {
      weekday: 'short', year: 'numeric', month: 'short', day: 'numeric',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
    };
    try {
      return date.toLocaleString(undefined, Object.assign({ timeZone: zoneName }, opts));
    } catch (e) {
      return date.toLocaleString(undefined, opts);
    }
  };
  var relative = function (date) {
    var s = Math.round((date.getTime() - Date.now()) / 1000);
    var units = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]];
    for (var i = 0; i < units.length; i++) {
      var n = Math.floor(Math.abs(s) / units[i][1]);
      if (n >= 1) return s > 0 ? 'in ' + n + ' ' + units[i][0] : n + ' ' + units[i][0] + ' ago';
    }
    return 'now';
  };
  var update = function () {
    if (!when.value.trim()) {
      show([el('p', 'Type a schedule to see when it fires.', 'muted')]);
      return;
    }
    var q = new URLSearchParams({
      schedule_method: method.value, schedule_when: when.value, timezone: zone.value, count: '5',
    });
    var ticket = ++latest;
    fetch('/schedule/preview.json?' + q.toString(), { headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.json().then(function (body) {
          if (ticket !== latest) return; // an older answer arriving late
          // The server's messages for these fields are now stale: the preview speaks instead.
          document.querySelectorAll('#err-schedule_when, #err-timezone, #err-schedule_method')
            .forEach(function (e) { e.hidden = true; });
          if (!res.ok) {
            var messages = body.errors
              ? Object.keys(body.errors).map(function (k) {
                  return (k === 'schedule_when' ? 'When' : k.replace('_', ' ')) + ' ' + body.errors[k].join('; ');
                })
              : [body.error];
            show(messages.map(function (m) { return el('p', m, 'field-error'); }), true);
            return;
          }
          var list = el('ol', undefined, 'fires');
          body.next_fire_times.forEach(function (t) {
            var li = el('li');
            var time = el('time', inZone(new Date(t), body.timezone));
            time.dateTime = t;
            time.title = t;
            li.appendChild(time);
            li.appendChild(el('span', ' ' + relative(new Date(t)), 'muted'));
            list.appendChild(li);
          });
          var words = el('p', body.description, 'schedule-words');
          show(body.next_fire_times.length ? [words, list] : [words, el('p', 'It will not fire again.', 'muted')]);
        });
      })
      .catch(function () { /* offline or restarting: keep the last preview */ });
  };
  [when, method, zone].forEach(function (input) {
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 250); });
    input.addEventListener('change', update);
  });
  // After a failed submit the server's message stands beside the field until it is edited.
  var serverSaid = document.querySelector('#err-schedule_when, #err-timezone, #err-schedule_method');
  if (when.value.trim() && !serverSaid) update();
}

// ---- Run page: live output -----------------------------------------------------------------

var runBox = document.getElementById('run');
if (runBox && runBox.getAttribute('data-events') && window.EventSource) {
  var source = new EventSource(runBox.getAttribute('data-events'));
  var statusBadge = document.getElementById('run-status');
  var note = document.getElementById('run-live-note');
  var results = document.getElementById('results');

  var outputFor = function (order) {
    var section = results.querySelector('section[data-order="' + order + '"]');
    if (!section) {
      section = document.createElement('section');
      section.className = 'result card';
      section.setAttribute('data-order', String(order));
      var h3 = document.createElement('h3');
      h3.textContent = (order + 1) + '. action';
      section.appendChild(h3);
      section.appendChild(document.createElement('pre')).className = 'output';
      results.appendChild(section);
    }
    // An action whose result is already stored shows its full output: no duplicates.
    if (section.hasAttribute('data-final')) return null;
    var badge = section.querySelector('.badge');
    if (badge && badge.textContent === 'waiting') {
      badge.textContent = 'running';
      badge.className = 'badge status-running';
    }
    return section.querySelector('pre.output');
  };

  source.addEventListener('output', function (event) {
    var data = JSON.parse(event.data);
    var pre = outputFor(data.order);
    if (!pre) return;
    var stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.appendChild(document.createTextNode(data.line + '\n'));
    if (stick) pre.scrollTop = pre.scrollHeight;
  });

  source.addEventListener('run', function (event) {
    var run = JSON.parse(event.data);
    statusBadge.textContent = run.status.replace('_', ' ');
    statusBadge.className = 'badge status-' + run.status;
  });

  // The run is over: fetch the page again for the final results, exit codes and timings.
  source.addEventListener('end', function () {
    source.close();
    fetch(window.location.href, { headers: { Accept: 'text/html' } })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('run');
        if (!fresh) return;
        fresh.removeAttribute('data-events');
        runBox.replaceWith(fresh);
        var footer = doc.querySelector('footer.bottom');
        var oldFooter = document.querySelector('footer.bottom');
        if (footer && oldFooter) oldFooter.replaceWith(footer);
        localTitles(fresh);
        var status = fresh.querySelector('#run-status');
        var freshNote = fresh.querySelector('#run-live-note');
        if (freshNote && status) freshNote.textContent = 'Finished: ' + status.textContent + '.';
      })
      .catch(function () { if (note) note.textContent = 'Finished. Reload for the final results.'; });
  });
}
