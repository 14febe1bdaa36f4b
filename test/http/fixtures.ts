// Request bodies as real clients send them, and small helpers for the HTTP tests.
import { parseXmlDocument } from '../../src/http/body/xmlBody.js';

/** ActiveResource's `Task.create(...)` body (activeresource.md). */
export const AR_CREATE = `<?xml version="1.0" encoding="UTF-8"?>
<task>
  <name>backup</name>
  <schedule-method>every</schedule-method>
  <schedule-when>1h</schedule-when>
  <actions type="array">
    <action>
      <action-class-name>Shell</action-class-name>
      <command>echo hi</command>
    </action>
  </actions>
</task>
`;

/**
 * What ActiveResource re-sends on `task.save` after loading the server's document: every
 * field, times as type="dateTime" in whole seconds, nils, and the actions with their ids.
 */
export function asActiveResourceResends(
  serverXml: string,
  edit: (xml: string) => string = (x) => x,
): string {
  const xml = serverXml
    .replace(/type="datetime">([^<.]+)(?:\.\d+)?Z</g, 'type="dateTime">$1Z<')
    .replace(/ type="datetime" nil="true"/g, ' type="dateTime" nil="true"');
  return edit(xml);
}

export function xmlValue(text: string): Record<string, unknown> {
  return parseXmlDocument(text) as Record<string, unknown>;
}

export function xmlList(text: string): Record<string, unknown>[] {
  return parseXmlDocument(text) as Record<string, unknown>[];
}

/** `application/x-www-form-urlencoded` from name/value pairs, in order. */
export function form(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
