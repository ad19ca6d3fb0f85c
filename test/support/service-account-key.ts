import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

let privateKeyPem: string | undefined;

/**
 * Writes a Google service-account key file into `folder` whose `token_uri` is `tokenUri` (a mock's
 * token endpoint), and returns its path. One RSA key per test process: generating one is slow.
 */
export function writeServiceAccountKey(folder: string, tokenUri: string): string {
  privateKeyPem ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const file = join(folder, "service-account.json");
  writeFileSync(
    file,
    JSON.stringify({
      type: "service_account",
      client_email: "gateway@p.iam.gserviceaccount.com",
      private_key: privateKeyPem,
      token_uri: tokenUri,
    }),
  );
  return file;
}
