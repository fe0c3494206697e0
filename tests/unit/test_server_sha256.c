/* SHA-256 and HMAC-SHA-256 against the published test vectors (FIPS 180-4
 * examples, RFC 4231) and block-boundary lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/sha256.h"

static void hex_of(const void *data, size_t len, char out[65])
{
    uint8_t d[SHA256_LEN];
    sha256(data, len, d);
    sha256_hex(d, sizeof d, out);
}

static void hmac_hex_of(const void *key, size_t keylen, const void *msg, size_t msglen,
                        char out[65])
{
    uint8_t d[SHA256_LEN];
    hmac_sha256(key, keylen, msg, msglen, d);
    sha256_hex(d, sizeof d, out);
}

static void test_hex_encoding(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
    char out[13];
    memset(out, 'x', sizeof out);
    sha256_hex(bytes, sizeof bytes, out);
    assert_string_equal(out, "00017f80abff");
    sha256_hex(bytes, 0, out);
    assert_string_equal(out, "");
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *msg;
        const char *digest;
    } cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        /* the 448-bit message */
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        /* the 896-bit message */
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnop"
         "qrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char out[65];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hex_of(cases[i].msg, strlen(cases[i].msg), out);
        assert_string_equal(out, cases[i].digest);
    }
}

static void test_sha256_million_a(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *msg = malloc(n);
    assert_non_null(msg);
    memset(msg, 'a', n);
    char out[65];
    hex_of(msg, n, out);
    free(msg);
    assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundaries: 55 fits one block, 56 needs two. */
static void test_sha256_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *digest;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char msg[128];
    memset(msg, 'a', sizeof msg);
    char out[65];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hex_of(msg, cases[i].n, out);
        assert_string_equal(out, cases[i].digest);
    }
}

static void test_hmac_rfc4231(void **state)
{
    (void)state;
    uint8_t key1[20], key3[20], key5[20], key6[131], key4[25];
    uint8_t data3[50], data4[50];
    memset(key1, 0x0b, sizeof key1);
    memset(key3, 0xaa, sizeof key3);
    memset(data3, 0xdd, sizeof data3);
    for (size_t i = 0; i < sizeof key4; i++)
        key4[i] = (uint8_t)(i + 1);
    memset(data4, 0xcd, sizeof data4);
    memset(key5, 0x0c, sizeof key5);
    memset(key6, 0xaa, sizeof key6);
    static const char msg6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    static const char msg7[] =
        "This is a test using a larger than block-size key and a larger than block-size data. "
        "The key needs to be hashed before being used by the HMAC algorithm.";

    const struct {
        const void *key;
        size_t keylen;
        const void *msg;
        size_t msglen;
        const char *mac; /* case 5 is compared on its first 128 bits */
    } cases[] = {
        {key1, sizeof key1, "Hi There", 8,
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", 4, "what do ya want for nothing?", 28,
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {key3, sizeof key3, data3, sizeof data3,
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {key4, sizeof key4, data4, sizeof data4,
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {key5, sizeof key5, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b"},
        {key6, sizeof key6, msg6, strlen(msg6),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {key6, sizeof key6, msg7, strlen(msg7),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    char out[65];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hmac_hex_of(cases[i].key, cases[i].keylen, cases[i].msg, cases[i].msglen, out);
        size_t cmp = strlen(cases[i].mac);
        if (strncmp(out, cases[i].mac, cmp) != 0)
            fail_msg("RFC 4231 case %zu: got %s want %s", i + 1, out, cases[i].mac);
    }
}

/* Degenerate keys: empty, exactly one block (not hashed first). */
static void test_hmac_edge_keys(void **state)
{
    (void)state;
    char out[65];
    hmac_hex_of("", 0, "", 0, out);
    assert_string_equal(out, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    char key[64];
    memset(key, 'k', sizeof key);
    hmac_hex_of(key, sizeof key, "msg", 3, out);
    assert_string_equal(out, "d62ad25bb128e96ab6ef43464aaf2bb91b5b85f013381e9ba6be747e8d0911b2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_encoding),     cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha256_million_a), cmocka_unit_test(test_sha256_boundaries),
        cmocka_unit_test(test_hmac_rfc4231),     cmocka_unit_test(test_hmac_edge_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
