// Reads iCalendar text on stdin, parses it with ical.js, checks what
// RFC 5545 requires of a calendar and its events, and prints
// {"summary": "VEVENT=2 VTIMEZONE=1", "problems": [...]} as JSON.
'use strict';
const ICAL = require('ical.js');

function check(cal, problems) {
  if (cal.name !== 'vcalendar') {
    problems.push(`top-level component is ${cal.name.toUpperCase()}, want VCALENDAR`);
  }
  for (const p of ['prodid', 'version']) {
    if (!cal.hasProperty(p)) problems.push(`VCALENDAR has no ${p.toUpperCase()}`);
  }
  const version = cal.getFirstPropertyValue('version');
  if (version && version !== '2.0') problems.push(`VERSION is ${version}, want 2.0`);
  const hasMethod = cal.hasProperty('method');

  const counts = new Map();
  for (const c of cal.getAllSubcomponents()) {
    const name = c.name.toUpperCase();
    counts.set(name, (counts.get(name) || 0) + 1);
  }
  cal.getAllSubcomponents('vevent').forEach((v, i) => {
    const where = `VEVENT ${i + 1}` + (v.hasProperty('uid') ? ` (${v.getFirstPropertyValue('uid')})` : '');
    for (const p of ['uid', 'dtstamp']) {
      if (!v.hasProperty(p)) problems.push(`${where} has no ${p.toUpperCase()}`);
    }
    if (!v.hasProperty('dtstart')) {
      if (!hasMethod) problems.push(`${where} has no DTSTART`);
      return;
    }
    if (v.hasProperty('dtend') && v.hasProperty('duration')) {
      problems.push(`${where} has both DTEND and DURATION`);
    }
    const ev = new ICAL.Event(v);
    if (ev.endDate && ev.endDate.compare(ev.startDate) < 0) {
      problems.push(`${where} ends at ${ev.endDate} before it starts at ${ev.startDate}`);
    }
  });
  return [...counts].sort().map(([name, n]) => `${name}=${n}`).join(' ');
}

let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { text += chunk; });
process.stdin.on('end', () => {
  const problems = [];
  let summary = '';
  try {
    const jcal = ICAL.parse(text);
    // ICAL.parse returns one component, or an array of them when the text
    // holds several.
    const roots = typeof jcal[0] === 'string' ? [jcal] : jcal;
    if (roots.length === 0) problems.push('no component');
    summary = roots.map((j) => check(new ICAL.Component(j), problems)).join('; ');
  } catch (e) {
    problems.push(String((e && e.message) || e));
  }
  process.stdout.write(JSON.stringify({ summary, problems }));
});
