/* SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104), for key hashes and subject references. */
#ifndef CRM_SERVER_SHA256_H
#define CRM_SERVER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);
void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t msglen,
                 uint8_t out[SHA256_LEN]);
/* Lowercase hex of len bytes into out (2*len+1 bytes). */
void sha256_hex(const uint8_t *bytes, size_t len, char *out);

#endif
