//! Preview tokens: stateless, HMAC-SHA256-signed bearer tokens a device presents to
//! fetch a preview's Layout JSON and assets.
//!
//! Format: `hsp1.<key id>.<base64url(claims JSON)>.<base64url(HMAC-SHA256)>`, the MAC taken over
//! everything before the last dot. The version prefix pins the algorithm: there is no `alg`
//! field to negotiate, so no algorithm-confusion attack exists by construction (why this is not
//! a JWT: one fixed algorithm, no dependency tree for the ones we refuse anyway). Two keys can be
//! valid at once (rotation), chosen by key id. MACs are compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::config::TokenKey;
use crate::domain::{DeviceType, Platform, Tier};
use crate::ids::{JobId, ProjectId, UserId};

const VERSION: &str = "hsp1";
/// The only purpose preview tokens are issued for; a token minted for anything else is refused.
pub const PURPOSE: &str = "preview";
/// Longest token accepted (a sanity bound before any work is done).
const MAX_TOKEN_LEN: usize = 4096;

/// What a preview token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewClaims {
    /// Always [`PURPOSE`].
    pub purpose: String,
    /// The preview job.
    pub job_id: JobId,
    /// Its project.
    pub project_id: ProjectId,
    /// The requesting user.
    pub user_id: UserId,
    /// Target platform.
    pub platform: Platform,
    /// Tier at request time.
    pub tier: Tier,
    /// Unix seconds after which the token is refused.
    pub expires_at: i64,
    /// Devices that may use it.
    pub allowed_device_types: Vec<DeviceType>,
    /// Extra flags.
    pub flags: PreviewFlags,
}

/// Flags carried by a preview token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewFlags {
    /// Safe-mode preview: interactions disabled on the device.
    pub safe_mode: bool,
}

/// Why a token was refused. Each maps to 401 and a `security_events` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not of the token's shape at all.
    #[error("malformed token")]
    Malformed,
    /// Signed with a key id this server does not hold.
    #[error("unknown key id")]
    UnknownKey,
    /// The MAC does not match (tampered, or signed with another secret).
    #[error("bad signature")]
    BadSignature,
    /// Valid, but minted for another purpose.
    #[error("wrong purpose")]
    WrongPurpose,
    /// Valid, but past `expires_at`.
    #[error("expired")]
    Expired,
}

impl TokenError {
    /// A stable name for logs and `security_events.kind`.
    pub fn kind(self) -> &'static str {
        match self {
            TokenError::Malformed => "token_malformed",
            TokenError::UnknownKey => "token_unknown_key",
            TokenError::BadSignature => "token_bad_signature",
            TokenError::WrongPurpose => "token_wrong_purpose",
            TokenError::Expired => "token_expired",
        }
    }
}

fn mac(key: &TokenKey, signed: &str) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key.secret.expose().as_bytes())
        .expect("HMAC takes any key length");
    m.update(signed.as_bytes());
    m
}

/// Signs claims with `key`.
pub fn sign(claims: &PreviewClaims, key: &TokenKey) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
    let signed = format!("{VERSION}.{}.{payload}", key.id);
    let tag = URL_SAFE_NO_PAD.encode(mac(key, &signed).finalize().into_bytes());
    format!("{signed}.{tag}")
}

/// Verifies a token against the keys held (current first, then the previous one during a
/// rotation) at `now` (Unix seconds).
pub fn verify(token: &str, keys: &[&TokenKey], now: i64) -> Result<PreviewClaims, TokenError> {
    if token.len() > MAX_TOKEN_LEN || !token.is_ascii() {
        return Err(TokenError::Malformed);
    }
    let (signed, tag) = token.rsplit_once('.').ok_or(TokenError::Malformed)?;
    let mut parts = signed.split('.');
    let (Some(version), Some(kid), Some(payload), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    if version != VERSION {
        return Err(TokenError::Malformed);
    }
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| TokenError::Malformed)?;
    let key = keys
        .iter()
        .find(|k| k.id == kid)
        .ok_or(TokenError::UnknownKey)?;
    // `verify_slice` compares in constant time.
    mac(key, signed)
        .verify_slice(&tag)
        .map_err(|_| TokenError::BadSignature)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TokenError::Malformed)?;
    let claims: PreviewClaims =
        serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)?;
    if claims.purpose != PURPOSE {
        return Err(TokenError::WrongPurpose);
    }
    if now >= claims.expires_at {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    fn key(id: &str, secret: &str) -> TokenKey {
        TokenKey {
            id: id.into(),
            secret: Secret::new(secret),
        }
    }

    fn claims() -> PreviewClaims {
        PreviewClaims {
            purpose: PURPOSE.into(),
            job_id: JobId::new_random(),
            project_id: ProjectId::new_random(),
            user_id: UserId::new_random(),
            platform: Platform::Ios,
            tier: Tier::Pro,
            expires_at: 2_000,
            allowed_device_types: vec![DeviceType::Iphone],
            flags: PreviewFlags { safe_mode: true },
        }
    }

    #[test]
    fn round_trip_and_rotation() {
        let k1 = key("k1", &"a".repeat(32));
        let k2 = key("k2", &"b".repeat(32));
        let c = claims();
        let t = sign(&c, &k1);
        assert!(t.starts_with("hsp1.k1."));
        assert_eq!(verify(&t, &[&k2, &k1], 1_000).unwrap(), c);
        assert_eq!(verify(&t, &[&k2], 1_000), Err(TokenError::UnknownKey));
    }

    #[test]
    fn tampering_is_detected() {
        let k = key("k1", &"a".repeat(32));
        let t = sign(&claims(), &k);
        let (signed, tag) = t.rsplit_once('.').unwrap();
        let (head, payload) = signed.rsplit_once('.').unwrap();
        let mut c = claims();
        c.tier = Tier::Premium;
        let forged = format!(
            "{head}.{}.{tag}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap())
        );
        assert_eq!(verify(&forged, &[&k], 1_000), Err(TokenError::BadSignature));
        let wrong_secret = key("k1", &"z".repeat(32));
        assert_eq!(
            verify(&t, &[&wrong_secret], 1_000),
            Err(TokenError::BadSignature)
        );
        let _ = payload;
    }

    #[test]
    fn expiry_purpose_and_shape_are_enforced() {
        let k = key("k1", &"a".repeat(32));
        assert_eq!(
            verify(&sign(&claims(), &k), &[&k], 2_000),
            Err(TokenError::Expired)
        );
        let mut c = claims();
        c.purpose = "login".into();
        assert_eq!(
            verify(&sign(&c, &k), &[&k], 1_000),
            Err(TokenError::WrongPurpose)
        );
        for bad in [
            "",
            "x",
            "hsp1.k1.e30",
            "hsp2.k1.e30.AAAA",
            "hsp1.k1.!!.AAAA",
            &"a".repeat(5000),
        ] {
            assert!(verify(bad, &[&k], 1_000).is_err(), "{bad:?}");
        }
        // A valid MAC over a payload that is not claims JSON is still refused.
        let signed = format!(
            "hsp1.k1.{}",
            URL_SAFE_NO_PAD.encode(b"{\"purpose\":\"preview\"}")
        );
        let tag = URL_SAFE_NO_PAD.encode(mac(&k, &signed).finalize().into_bytes());
        assert_eq!(
            verify(&format!("{signed}.{tag}"), &[&k], 1_000),
            Err(TokenError::Malformed)
        );
    }
}
