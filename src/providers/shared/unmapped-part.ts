/**
 * The error an adapter throws for a content part it has no wire form for. The gateway leaves such a
 * target out of the request before it is called (see docs/wire-fidelity.md), so reaching this is a
 * bug in that check, not a client error.
 */
export function unmappedPart(partType: string, adapterType: string): Error {
  return new Error(`the ${adapterType} adapter cannot send a "${partType}" content part`);
}
