const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A series line of Prometheus text: `name{...labels in any order, others too...} value`; the
 * value is the first group. Without `value`, any value.
 */
export const seriesLine = (name: string, labels: Record<string, string> = {}, value = '(\\S+)'): RegExp =>
  new RegExp(
    `^${escapeRegExp(name)}\\{${Object.entries(labels)
      .map(([label, labelValue]) => `(?=[^}]*\\b${label}="${escapeRegExp(labelValue)}")`)
      .join('')}[^}]*\\} ${value}$`,
    'm',
  );

/** The value of the first series of `name` with these labels in a /metrics text; undefined if none. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const match = seriesLine(name, labels).exec(text);
  return match ? Number(match[1]) : undefined;
}
