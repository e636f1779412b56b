/**
 * An SNS subject: at most 100 printable ASCII characters (anything else fails the publish), so
 * other characters become `?` and a longer text is cut with an ellipsis.
 */
export function subjectLine(text: string): string {
  const ascii = text.replace(/[^\x20-\x7E]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}
