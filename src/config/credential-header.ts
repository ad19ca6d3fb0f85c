const CREDENTIAL_HEADER_NAME =
  /auth|key|token|secret|passw|cookie|credential|session|signature|bearer/i;

/** Whether a header name is one that carries credentials (never forwarded, always redacted). */
export function isCredentialHeaderName(name: string): boolean {
  return CREDENTIAL_HEADER_NAME.test(name);
}
