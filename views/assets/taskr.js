// Progressive enhancement for Taskr's pages; everything works without it.
'use strict';

// Delete buttons ask first.
document.querySelectorAll('form[data-confirm]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
  });
});

// Task form: show only the parameters of the chosen action type (the others are disabled
// so they are not sent), and add action rows from the template.
function syncRow(row) {
  var select = row.querySelector('select.action-type');
  if (!select) return;
  row.querySelectorAll('fieldset.params').forEach(function (fs) {
    var on = fs.getAttribute('data-type') === select.value;
    fs.hidden = !on;
    fs.disabled = !on;
  });
}

var rows = document.getElementById('action-rows');
if (rows) {
  rows.querySelectorAll('.action-row').forEach(syncRow);
  rows.addEventListener('change', function (event) {
    if (event.target.matches('select.action-type')) syncRow(event.target.closest('.action-row'));
  });
  var template = document.getElementById('action-row-template');
  var add = document.getElementById('add-action');
  if (template && add) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var index = rows.querySelectorAll('.action-row').length;
      var html = template.innerHTML.split('__INDEX__').join(String(index));
      rows.insertAdjacentHTML('beforeend', html);
      syncRow(rows.lastElementChild);
    });
  }
}

// Schedule preview beside the "When" field.
var when = document.getElementById('task-schedule-when');
var preview = document.getElementById('schedule-preview');
if (when && preview) {
  var method = document.getElementById('task-schedule-method');
  var zone = document.getElementById('task-timezone');
  var timer = null;
  var update = function () {
    var q = new URLSearchParams({
      schedule_method: method.value, schedule_when: when.value, timezone: zone.value, count: '3',
    });
    if (!when.value.trim()) { preview.textContent = ''; return; }
    fetch('/schedule/preview.json?' + q.toString()).then(function (res) {
      return res.json().then(function (body) {
        preview.textContent = res.ok
          ? body.description + ' — next: ' + (body.next_fire_times.join(', ') || 'none')
          : body.error;
      });
    }).catch(function () { preview.textContent = ''; });
  };
  [when, method, zone].forEach(function (el) {
    el.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 300); });
  });
}
