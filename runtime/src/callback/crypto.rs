//! The callback cipher: key derivation, AES-128-ECB with PKCS#7, and the upper-case hex MD5.
//!
//! The vendor's callback page (<https://apidocs.ottpay.com/zh/api/integration/callback/>): key =
//! characters `[8..24]` of the upper-case hex MD5 of
//! (`md5` field + signKey), taken as 16 ASCII bytes.

use aes::Aes128;
use ecb::cipher::block_padding::Pkcs7;
use ecb::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit};
use md5::{Digest, Md5};

use super::key::SignKey;

/// AES block size in bytes.
pub(super) const BLOCK: usize = 16;

/// An AES-128 key derived for one notification. No `Debug`: it never prints.
pub(super) struct AesKey([u8; 16]);

/// The 32 upper-case hex characters of the MD5 of `data`.
pub(super) fn md5_upper_hex(data: &[u8]) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let digest = Md5::digest(data);
    let mut out = [0u8; 32];
    for (pair, byte) in out.chunks_exact_mut(2).zip(digest.iter()) {
        pair[0] = HEX[usize::from(byte >> 4)];
        pair[1] = HEX[usize::from(byte & 0x0f)];
    }
    out
}

/// Derives the AES key from the notification's `md5` field (as sent) and the signKey.
pub(super) fn derive_key(md5_field: &str, sign_key: &SignKey) -> AesKey {
    let mut input = Vec::with_capacity(md5_field.len() + sign_key.expose().len());
    input.extend_from_slice(md5_field.as_bytes());
    input.extend_from_slice(sign_key.expose().as_bytes());
    let hex = md5_upper_hex(&input);
    let mut key = [0u8; 16];
    key.copy_from_slice(&hex[8..24]);
    AesKey(key)
}

/// Why a ciphertext did not decrypt.
pub(super) enum DecryptError {
    /// Empty, or not a whole number of 16-byte blocks.
    Length,
    /// The last block does not end in valid PKCS#7 padding.
    Padding,
}

/// Decrypts in place and strips the padding.
pub(super) fn decrypt(key: &AesKey, mut ciphertext: Vec<u8>) -> Result<Vec<u8>, DecryptError> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(BLOCK) {
        return Err(DecryptError::Length);
    }
    let len = ecb::Decryptor::<Aes128>::new(&key.0.into())
        .decrypt_padded::<Pkcs7>(&mut ciphertext)
        .map_err(|_| DecryptError::Padding)?
        .len();
    ciphertext.truncate(len);
    Ok(ciphertext)
}

/// Pads and encrypts. `None` cannot happen (the buffer always has room for the padding block),
/// but is reported rather than panicking.
pub(super) fn encrypt(key: &AesKey, plaintext: &[u8]) -> Option<Vec<u8>> {
    let len = plaintext.len();
    let mut buf = Vec::with_capacity(len + BLOCK);
    buf.extend_from_slice(plaintext);
    buf.resize((len / BLOCK + 1) * BLOCK, 0);
    let n = ecb::Encryptor::<Aes128>::new(&key.0.into()).encrypt_padded::<Pkcs7>(&mut buf, len).ok()?.len();
    buf.truncate(n);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_the_reference_key() {
        let key = derive_key("B63B153D7BF1DBE7327A6396B2D88C7F", &SignKey::new("3F6C1B7E9A2D4C58"));
        assert_eq!(&key.0, b"C145A8193558A019");
    }

    #[test]
    fn md5_hex_is_upper_case() {
        assert_eq!(&md5_upper_hex(b""), b"D41D8CD98F00B204E9800998ECF8427E");
    }

    #[test]
    fn encrypt_then_decrypt_round_trips_every_length() {
        let key = AesKey(*b"C145A8193558A019");
        for n in 0..=48 {
            let msg = vec![b'x'; n];
            let ct = encrypt(&key, &msg).unwrap_or_default();
            assert_eq!(ct.len(), (n / BLOCK + 1) * BLOCK);
            assert!(matches!(decrypt(&key, ct), Ok(ref pt) if *pt == msg));
        }
    }
}
