/** The clock of server-side sessions, in whole epoch seconds (the payload's unit). @internal */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
