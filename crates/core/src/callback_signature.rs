//! Worker request signatures, the Standard Webhooks way: the headers
//! `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,<base64 of
//! HMAC-SHA256 over "{id}.{timestamp}.{body}">`, several space-separated allowed), plus
//! `hivesync-worker-id` naming the signing worker.
//!
//! Each worker signs with its own key, derived from `WORKER_CALLBACK_SECRET` and its id, so a
//! key taken from one worker cannot speak for another. Only the backend holds the root secret;
//! an operator provisions each worker with its derived key ([`WorkerKey::to_text`],
//! `hivesync worker-key WORKER_ID`). Comparison is constant-time.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Secret;
use crate::ids::WorkerId;

/// Header with the unique message id.
pub const HEADER_ID: &str = "webhook-id";
/// Header with the Unix timestamp in seconds.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// Header with the signature(s).
pub const HEADER_SIGNATURE: &str = "webhook-signature";
/// Header naming the worker whose key signed.
pub const HEADER_WORKER: &str = "hivesync-worker-id";

/// The prefix of a worker key's text form.
const KEY_PREFIX: &str = "hswk1_";

/// A worker key's text is not `hswk1_` + 32 bytes in base64url.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a worker key (expected hswk1_ followed by 43 base64url characters)")]
pub struct InvalidWorkerKey;

/// A worker's signing key.
#[derive(Clone, PartialEq, Eq)]
pub struct WorkerKey([u8; 32]);

impl std::fmt::Debug for WorkerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WorkerKey([redacted])")
    }
}

impl WorkerKey {
    /// The key of `worker`: HMAC-SHA256(root secret, "hivesync/worker-callback/v1/" + id).
    pub fn derive(root: &Secret, worker: &WorkerId) -> Self {
        let mut m =
            Hmac::<Sha256>::new_from_slice(root.expose().as_bytes()).expect("any key length");
        m.update(b"hivesync/worker-callback/v1/");
        m.update(worker.as_str().as_bytes());
        Self(m.finalize().into_bytes().into())
    }

    /// The key as an operator provisions it to its worker (`HIVESYNC_WORKER_KEY`):
    /// `hswk1_` followed by the key in unpadded base64url.
    pub fn to_text(&self) -> Secret {
        Secret::new(format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(self.0)))
    }

    /// Reads a key written by [`WorkerKey::to_text`].
    pub fn parse(text: &str) -> Result<Self, InvalidWorkerKey> {
        let bytes = text
            .trim()
            .strip_prefix(KEY_PREFIX)
            .and_then(|b64| URL_SAFE_NO_PAD.decode(b64).ok())
            .ok_or(InvalidWorkerKey)?;
        Ok(Self(bytes.try_into().map_err(|_| InvalidWorkerKey)?))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        m.update(id.as_bytes());
        m.update(b".");
        m.update(timestamp.to_string().as_bytes());
        m.update(b".");
        m.update(body);
        m
    }

    /// The `webhook-signature` value for a message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!(
            "v1,{}",
            STANDARD.encode(self.mac(id, timestamp, body).finalize().into_bytes())
        )
    }

    /// Checks a `webhook-signature` header value: true when any `v1` signature in it matches.
    pub fn verify(&self, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
        header.split(' ').any(|sig| {
            let Some(b64) = sig.strip_prefix("v1,") else {
                return false;
            };
            let Ok(bytes) = STANDARD.decode(b64) else {
                return false;
            };
            self.mac(id, timestamp, body).verify_slice(&bytes).is_ok()
        })
    }
}

/// Why a signed request was refused (before any state is looked at).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// A header is missing or malformed.
    #[error("missing or malformed signature headers")]
    Malformed,
    /// The timestamp is outside the tolerance.
    #[error("timestamp outside the tolerance")]
    Stale,
    /// No signature matches.
    #[error("bad signature")]
    BadSignature,
}

/// A fresh `webhook-id` for a worker request: `msg_` and 32 random hex digits.
pub fn new_message_id() -> String {
    format!("msg_{}", uuid::Uuid::new_v4().simple())
}

/// Validates the id and timestamp headers and the signature at `now` (Unix seconds).
pub fn check(
    key: &WorkerKey,
    id: &str,
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: i64,
    tolerance_seconds: i64,
) -> Result<i64, SignatureError> {
    if id.is_empty() || id.len() > 128 || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(SignatureError::Malformed);
    }
    let ts: i64 = timestamp.parse().map_err(|_| SignatureError::Malformed)?;
    // Any i64 may arrive: the distance is computed without overflow.
    if now.abs_diff(ts) > tolerance_seconds.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    if !key.verify(id, ts, body, signature) {
        return Err(SignatureError::BadSignature);
    }
    Ok(ts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(worker: &str) -> WorkerKey {
        WorkerKey::derive(
            &Secret::new("r".repeat(40)),
            &WorkerId::parse(worker).unwrap(),
        )
    }

    #[test]
    fn signatures_verify_and_bind_every_part() {
        let k = key("cpu-1");
        let sig = k.sign("msg_1", 1_000, b"{\"a\":1}");
        assert!(sig.starts_with("v1,"));
        assert_eq!(
            check(&k, "msg_1", "1000", &sig, b"{\"a\":1}", 1_010, 300),
            Ok(1_000)
        );
        assert_eq!(
            check(&k, "msg_2", "1000", &sig, b"{\"a\":1}", 1_010, 300),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            check(&k, "msg_1", "1001", &sig, b"{\"a\":1}", 1_010, 300),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            check(&k, "msg_1", "1000", &sig, b"{\"a\":2}", 1_010, 300),
            Err(SignatureError::BadSignature)
        );
        // Another worker's key cannot sign for this one.
        let other = key("cpu-2").sign("msg_1", 1_000, b"{\"a\":1}");
        assert_eq!(
            check(&k, "msg_1", "1000", &other, b"{\"a\":1}", 1_010, 300),
            Err(SignatureError::BadSignature)
        );
        // Several signatures: any valid one passes (key rotation on the worker side).
        assert!(k.verify("msg_1", 1_000, b"{\"a\":1}", &format!("v1,AAAA {sig}")));
    }

    #[test]
    fn stale_and_malformed_headers_are_refused() {
        let k = key("cpu-1");
        let sig = k.sign("m", 1_000, b"");
        assert_eq!(
            check(&k, "m", "1000", &sig, b"", 1_301, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            check(&k, "m", "1000", &sig, b"", 699, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            check(&k, "m", "soon", &sig, b"", 1_000, 300),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            check(&k, "", "1000", &sig, b"", 1_000, 300),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            check(&k, "m", "1000", "v2,xyz", b"", 1_000, 300),
            Err(SignatureError::BadSignature)
        );
        assert!(!format!("{k:?}").contains(&"r".repeat(8)));
    }

    #[test]
    fn timestamps_at_the_ends_of_i64_are_stale_not_an_overflow() {
        let k = key("cpu-1");
        for ts in [i64::MIN, -9_223_372_036_854_775_000, i64::MAX] {
            let sig = k.sign("m", ts, b"");
            assert_eq!(
                check(&k, "m", &ts.to_string(), &sig, b"", 1_000, 300),
                Err(SignatureError::Stale)
            );
            assert_eq!(
                check(&k, "m", &ts.to_string(), &sig, b"", i64::MIN, 300),
                if ts == i64::MIN {
                    Ok(ts)
                } else {
                    Err(SignatureError::Stale)
                }
            );
        }
    }

    #[test]
    fn a_provisioned_key_reads_back_and_bad_text_is_refused() {
        let k = key("cpu-1");
        let text = k.to_text();
        assert!(text.expose().starts_with("hswk1_"));
        assert_eq!(WorkerKey::parse(text.expose()), Ok(k.clone()));
        assert_ne!(WorkerKey::parse(key("cpu-2").to_text().expose()), Ok(k));
        for bad in ["", "hswk1_", "hswk1_AAAA", "nope", "hswk1_!!!!"] {
            assert_eq!(WorkerKey::parse(bad), Err(InvalidWorkerKey));
        }
    }
}
