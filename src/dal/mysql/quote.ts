/** `a`, `s`.`t`: identifiers quoted with backticks (a dot separates the database). */
export function quoteMysql(name: string): string {
  return name
    .split('.')
    .map((part) => `\`${part.replace(/`/g, '``')}\``)
    .join('.');
}
